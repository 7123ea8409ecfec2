using Scoring.Engine.Stages;

namespace Scoring.Engine.Configuration;

/// <summary>
/// What people may record about a lead: the criteria that confirm an SQL, the reason codes for disqualifying
/// or recycling, and which stage a converted lead reaches. Reasons are codes, never free text, so nobody
/// types a patient's details into a transition.
/// </summary>
public sealed record StageSettings
{
    /// <summary><see cref="LeadStage.Appointment"/> (care settings) or <see cref="LeadStage.Opportunity"/> (B2B).</summary>
    public required LeadStage Conversion { get; init; }

    /// <summary>Criteria a person may confirm (e.g. budget, authority, need, timeline, appointment_booked).</summary>
    public required IReadOnlyList<string> SqlCriteria { get; init; }

    /// <summary>Criteria that confirm an SQL on their own (scheduling actions).</summary>
    public IReadOnlyList<string> SqlSufficient { get; init; } = [];

    /// <summary>How many criteria confirm an SQL when none of them is sufficient on its own.</summary>
    public required int SqlMinimum { get; init; }

    public required IReadOnlyList<string> DisqualifyReasons { get; init; }

    public required IReadOnlyList<string> RecycleReasons { get; init; }

    /// <summary>
    /// Ways to reach a lead, as conditions on its attributes (<c>{ email_valid: true }</c>, <c>{ phone_valid: true }</c>);
    /// an MQL needs one whose conditions all hold: a lead nobody can reach is not handed to a queue. Empty: no requirement.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<Condition>> Contactable { get; init; } = [];

    /// <summary>The contact requirement in words, for explanations.</summary>
    public string DescribeContactable() =>
        string.Join(" or ", Contactable.Select(way => string.Join(" and ", way.Select(c => c.Describe()))));

    /// <summary>
    /// After a person recycles a lead, only intent from later events counts towards re-qualifying, and fit plus that
    /// new intent must exceed this (default: the threshold), so one page view cannot undo a person's decision.
    /// </summary>
    public double? RequalifyThreshold { get; init; }

    public SourceLocation Location { get; init; } = SourceLocation.Unknown;
}
