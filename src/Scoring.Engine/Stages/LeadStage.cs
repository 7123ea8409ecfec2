namespace Scoring.Engine.Stages;

/// <summary>
/// Where a lead is in the funnel. The system moves leads between <see cref="Lead"/>, <see cref="Mql"/> and
/// <see cref="Recycled"/> from their score; people move them to <see cref="Sql"/> and beyond.
/// </summary>
public enum LeadStage
{
    /// <summary>Known, not (yet) qualified.</summary>
    Lead,

    /// <summary>Marketing qualified: score at or above the threshold, or a direct-qualification rule holds.</summary>
    Mql,

    /// <summary>Sales (or scheduling) qualified: a person confirmed readiness with the vertical's criteria.</summary>
    Sql,

    /// <summary>Converted in care settings: an appointment was booked.</summary>
    Appointment,

    /// <summary>Converted in B2B: an opportunity was opened.</summary>
    Opportunity,

    /// <summary>Not a fit; a person decided so. The system never moves a disqualified lead.</summary>
    Disqualified,

    /// <summary>Was an MQL (or SQL) and went quiet or was not ready; re-qualifies on new engagement.</summary>
    Recycled,
}

/// <summary>Which stages the system manages and how stages rank when two records of one person merge.</summary>
public static class LeadStages
{
    /// <summary>Stages whose changes come from the score; the others change only by a person's action.</summary>
    public static bool IsSystemManaged(LeadStage stage) => stage is LeadStage.Lead or LeadStage.Mql or LeadStage.Recycled;

    public static bool IsConversion(LeadStage stage) => stage is LeadStage.Appointment or LeadStage.Opportunity;

    /// <summary>Stage order for merges: a person's decisions outrank the system's.</summary>
    public static int Rank(LeadStage stage) => stage switch
    {
        LeadStage.Appointment or LeadStage.Opportunity => 6,
        LeadStage.Sql => 5,
        LeadStage.Disqualified => 4,
        LeadStage.Mql => 3,
        LeadStage.Recycled => 2,
        _ => 1,
    };
}
