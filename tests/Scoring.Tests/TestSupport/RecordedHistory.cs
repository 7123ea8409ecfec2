using Scoring.Engine.Stages;

namespace Scoring.Tests.TestSupport;

/// <summary>
/// A lead's recorded transitions kept the way the store keeps them: an evaluation's rewrite replaces the system's
/// transitions from its rewind on, a person's transition is appended. Lets engine tests replay what the service records.
/// </summary>
internal sealed class RecordedHistory
{
    private readonly List<StageTransition> _transitions = [];

    public IReadOnlyList<StageTransition> Transitions => [.. _transitions.OrderBy(t => t.At).ThenBy(t => t.IsPersonal ? 1 : 0)];

    /// <summary>The system's transitions (not the first "lead" one), oldest first.</summary>
    public IReadOnlyList<StageTransition> System => [.. Transitions.Where(t => t.From is not null && !t.IsPersonal)];

    public void Apply(Evaluation evaluation)
    {
        var rewrite = evaluation.Rewrite;
        _transitions.RemoveAll(t => t.From is not null && !t.IsPersonal && (rewrite.From is null || t.At >= rewrite.From));
        _transitions.AddRange(rewrite.Transitions);
    }

    public void Add(StageTransition personal) => _transitions.Add(personal);
}
