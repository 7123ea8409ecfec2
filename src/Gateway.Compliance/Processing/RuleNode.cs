using System.Collections.Frozen;
using Gateway.Compliance.Paths;

namespace Gateway.Compliance.Processing;

/// <summary>
/// A node of the compiled rule trie, walked in step with the event. At each level an exact property
/// name beats <c>*</c>. A field with no matching node is dropped (allow-list, fail closed).
/// </summary>
internal sealed class RuleNode
{
    private FrozenDictionary<string, RuleNode> _children = FrozenDictionary<string, RuleNode>.Empty;
    private FrozenDictionary<string, RuleNode>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private Dictionary<string, RuleNode>? _building = [];

    public RuleNode(string pathText, int index)
    {
        PathText = pathText;
        Index = index;
        UnmappedPath = pathText.Length == 0 ? FieldPath.Wildcard : pathText + "." + FieldPath.Wildcard;
    }

    /// <summary>The pattern path to this node ("" for the root).</summary>
    public string PathText { get; }

    /// <summary>How a dropped, unnamed child of this node is recorded: the parent path and <c>*</c>, never the field's own name.</summary>
    public string UnmappedPath { get; }

    /// <summary>Position among the event type's nodes (used to trace unmapped drops without allocating).</summary>
    public int Index { get; }

    public RuleNode? Wildcard { get; private set; }

    public CompiledFieldRule? Rule { get; set; }

    public bool HasChildren => Wildcard is not null || _children.Count > 0 || _building is { Count: > 0 };

    public RuleNode GetOrAdd(string segment, Func<string, RuleNode> create)
    {
        if (_building is null)
        {
            throw new InvalidOperationException("The rule trie is frozen.");
        }

        if (segment == FieldPath.Wildcard)
        {
            return Wildcard ??= create(Join(segment));
        }

        if (!_building.TryGetValue(segment, out var node))
        {
            node = create(Join(segment));
            _building.Add(segment, node);
        }

        return node;
    }

    public void Freeze()
    {
        if (_building is null)
        {
            return;
        }

        foreach (var child in _building.Values)
        {
            child.Freeze();
        }

        Wildcard?.Freeze();
        _children = _building.ToFrozenDictionary(StringComparer.Ordinal);
        _lookup = _children.GetAlternateLookup<ReadOnlySpan<char>>();
        _building = null;
    }

    public RuleNode? Match(ReadOnlySpan<char> name) =>
        _children.Count > 0 && _lookup.TryGetValue(name, out var node) ? node : Wildcard;

    public IEnumerable<RuleNode> Descendants()
    {
        foreach (var child in _children.Values.Concat(_building?.Values ?? Enumerable.Empty<RuleNode>()))
        {
            yield return child;
            foreach (var d in child.Descendants())
            {
                yield return d;
            }
        }

        if (Wildcard is not null)
        {
            yield return Wildcard;
            foreach (var d in Wildcard.Descendants())
            {
                yield return d;
            }
        }
    }

    private string Join(string segment) => PathText.Length == 0 ? segment : PathText + "." + segment;
}
