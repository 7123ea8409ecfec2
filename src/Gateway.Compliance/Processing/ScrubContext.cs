using Gateway.Compliance.Practices;

namespace Gateway.Compliance.Processing;

/// <summary>Per-event state the operators see: the practice, today's date, and the trace they report into.</summary>
public sealed class ScrubContext
{
    private PracticeContext? _practice;

    public PracticeContext Practice => _practice ?? throw new InvalidOperationException("ScrubContext used before Reset.");

    /// <summary>Today's date (UTC) from the host's <see cref="TimeProvider"/>; age bands are computed against it.</summary>
    public DateOnly Today { get; private set; }

    public FieldTrace Trace { get; } = new();

    /// <summary>Pseudonyms already made for the current request's events (saves recomputing the subject ids' HMACs).</summary>
    internal Pseudonyms.PseudonymMemo Pseudonyms { get; } = new();

    internal CompiledFieldRule? CurrentRule { get; set; }

    internal void Reset(PracticeContext practice, DateOnly today)
    {
        _practice = practice;
        Today = today;
        CurrentRule = null;
        Pseudonyms.Clear();
    }

    /// <summary>Called by operators that refuse a value: the rule it failed (<c>values:service_line</c>, <c>guard:code</c>), never the value.</summary>
    public void ReportRefusal(string reason)
    {
        if (CurrentRule is not null)
        {
            Trace.RecordRefusal(CurrentRule, reason);
        }
    }

    /// <summary>Called by text operators: which detectors fired on the current field (names only).</summary>
    public void ReportDetectors(IReadOnlyList<string> detectors)
    {
        if (CurrentRule is not null && detectors.Count > 0)
        {
            Trace.RecordDetectors(CurrentRule, detectors);
        }
    }
}
