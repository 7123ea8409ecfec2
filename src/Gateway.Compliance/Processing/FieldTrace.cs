using Gateway.Compliance.Classification;
using Gateway.Compliance.Derivation;
using Gateway.Compliance.Operators;

namespace Gateway.Compliance.Processing;

/// <summary>
/// What the scrubber did to one event, field rule by field rule: outcomes, detectors that fired,
/// derived features, unmapped drops and the classes written. Holds no event values, only references to
/// the policy's own rules, so it is safe to format into an audit record.
/// </summary>
public sealed class FieldTrace
{
    private const byte WrittenBit = 1;
    private const byte DroppedBit = 2;
    private const byte InvalidBit = 4;
    private const byte DerivedBit = 8;
    private const byte WithheldBit = 16;
    private const byte RefusedBit = 32;

    private byte[] _outcomes = [];
    private bool[] _unmapped = [];
    private readonly List<int> _touched = [];
    private readonly List<RuleNode> _unmappedNodes = [];
    private readonly List<(int Rule, string Detector)> _detectors = [];
    private readonly List<(int Rule, string Reason)> _refusals = [];
    private readonly List<(CompiledDerivation Derivation, DerivedValue Value)> _derived = [];
    private IReadOnlyList<CompiledFieldRule> _rules = [];
    private Audit.EventAuditScratch? _auditScratch;

    /// <summary>The union of the classes of every value written (system fields count as <c>non-phi</c>).</summary>
    public DataClasses Classes { get; private set; }

    public IReadOnlyList<(CompiledDerivation Derivation, DerivedValue Value)> Derived => _derived;

    internal void Reset(IReadOnlyList<CompiledFieldRule> rules, int nodeCount)
    {
        foreach (var index in _touched)
        {
            _outcomes[index] = 0;
        }

        if (_outcomes.Length < rules.Count)
        {
            _outcomes = new byte[rules.Count];
        }

        foreach (var node in _unmappedNodes)
        {
            _unmapped[node.Index] = false;
        }

        if (_unmapped.Length < nodeCount)
        {
            _unmapped = new bool[nodeCount];
        }

        _rules = rules;
        _touched.Clear();
        _unmappedNodes.Clear();
        _detectors.Clear();
        _refusals.Clear();
        _derived.Clear();
        Classes = DataClasses.NonPhi;
    }

    internal void Record(CompiledFieldRule rule, FieldOutcome outcome)
    {
        var bit = outcome switch
        {
            FieldOutcome.Written => WrittenBit,
            FieldOutcome.Dropped => DroppedBit,
            FieldOutcome.Refused => RefusedBit,
            _ => InvalidBit,
        };
        Touch(rule.Index, bit);
        if (outcome == FieldOutcome.Written)
        {
            Classes |= rule.Operator.OutputClass;
        }
    }

    /// <summary>The rule's output was not allowed for this destination (de-identified delivery).</summary>
    internal void RecordWithheld(CompiledFieldRule rule) => Touch(rule.Index, WithheldBit);

    internal void RecordDerived(CompiledFieldRule rule, CompiledDerivation derivation, DerivedValue value)
    {
        Touch(rule.Index, DerivedBit);
        foreach (var (existing, _) in _derived)
        {
            if (existing.OutputName == derivation.OutputName)
            {
                return;
            }
        }

        _derived.Add((derivation, value));
        Classes |= DataClasses.Derived;
    }

    internal void RecordUnmapped(RuleNode parent)
    {
        if (!_unmapped[parent.Index])
        {
            _unmapped[parent.Index] = true;
            _unmappedNodes.Add(parent);
        }
    }

    internal void RecordDetectors(CompiledFieldRule rule, IReadOnlyList<string> detectors)
    {
        foreach (var detector in detectors)
        {
            if (!_detectors.Contains((rule.Index, detector)))
            {
                _detectors.Add((rule.Index, detector));
            }
        }
    }

    internal void RecordRefusal(CompiledFieldRule rule, string reason)
    {
        if (!_refusals.Contains((rule.Index, reason)))
        {
            _refusals.Add((rule.Index, reason));
        }
    }

    internal int RefusalCount => _refusals.Count;

    internal (CompiledFieldRule Rule, string Reason) RefusalAt(int position) => (_rules[_refusals[position].Rule], _refusals[position].Reason);

    /// <summary>Why values were refused, per rule path (the rule that failed, never the value).</summary>
    public IEnumerable<(CompiledFieldRule Rule, string Reason)> Refusals => _refusals.Select(r => (_rules[r.Rule], r.Reason));

    /// <summary>Scratch buffers for formatting this trace into the audit record.</summary>
    internal Audit.EventAuditScratch AuditScratch => _auditScratch ??= new();

    /// <summary>How many rules matched at least one field (see <see cref="TracedAt"/>).</summary>
    internal int TracedCount => _touched.Count;

    /// <summary>The <paramref name="position"/>-th rule that matched, in first-match order.</summary>
    internal TracedRule TracedAt(int position)
    {
        var index = _touched[position];
        var bits = _outcomes[index];
        return new TracedRule(_rules[index], (bits & WrittenBit) != 0, (bits & DroppedBit) != 0, (bits & InvalidBit) != 0,
            (bits & DerivedBit) != 0, (bits & WithheldBit) != 0, (bits & RefusedBit) != 0);
    }

    internal int DetectionCount => _detectors.Count;

    internal (CompiledFieldRule Rule, string Detector) DetectionAt(int position) => (_rules[_detectors[position].Rule], _detectors[position].Detector);

    internal int UnmappedCount => _unmappedNodes.Count;

    internal string UnmappedAt(int position) => _unmappedNodes[position].UnmappedPath;

    /// <summary>The rules that matched at least one field, with what happened to the field(s).</summary>
    public IEnumerable<TracedRule> Rules
    {
        get
        {
            foreach (var index in _touched)
            {
                var bits = _outcomes[index];
                yield return new TracedRule(
                    _rules[index],
                    (bits & WrittenBit) != 0,
                    (bits & DroppedBit) != 0,
                    (bits & InvalidBit) != 0,
                    (bits & DerivedBit) != 0,
                    (bits & WithheldBit) != 0,
                    (bits & RefusedBit) != 0);
            }
        }
    }

    /// <summary>Detectors that fired per rule path.</summary>
    public IEnumerable<(CompiledFieldRule Rule, string Detector)> Detections =>
        _detectors.Select(d => (_rules[d.Rule], d.Detector));

    /// <summary>Where fields the policy does not name were dropped, as <c>parent.*</c> (never the field's name).</summary>
    public IEnumerable<string> UnmappedPaths => _unmappedNodes.Select(n => n.UnmappedPath);

    private void Touch(int index, byte bit)
    {
        if (_outcomes[index] == 0)
        {
            _touched.Add(index);
        }

        _outcomes[index] |= bit;
    }
}

/// <summary>One rule's effect on an event.</summary>
public readonly record struct TracedRule(CompiledFieldRule Rule, bool Written, bool Dropped, bool Invalid, bool Derived, bool Withheld, bool Refused = false);
