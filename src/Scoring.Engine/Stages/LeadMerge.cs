namespace Scoring.Engine.Stages;

/// <summary>
/// Two lead records turned out to be one person (an alias, or an anonymous id seen with a user id). The merged
/// lead keeps the more advanced stage, where a person's decision outranks the system's (see
/// <see cref="LeadStages.Rank"/>); on a tie, the stage entered first. It is re-evaluated from the start.
/// </summary>
public static class LeadMerge
{
    public static LeadState Choose(LeadState survivor, LeadState merged)
    {
        var a = LeadStages.Rank(survivor.Stage);
        var b = LeadStages.Rank(merged.Stage);
        var chosen = b > a || (b == a && merged.StageSince < survivor.StageSince) ? merged : survivor;
        return chosen with { EvaluatedThrough = null };
    }
}
