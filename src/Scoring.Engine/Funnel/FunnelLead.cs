using Scoring.Engine.Stages;

namespace Scoring.Engine.Funnel;

/// <summary>
/// What the funnel needs of one lead: when it was created, its first-touch UTM fields (as the policy let them
/// through), and when it first entered MQL, SQL and conversion (null if never).
/// </summary>
public sealed record FunnelLead(
    string Vertical,
    DateTimeOffset CreatedAt,
    string? Campaign,
    string? Source,
    string? Medium,
    DateTimeOffset? FirstMqlAt,
    DateTimeOffset? FirstSqlAt,
    DateTimeOffset? FirstConvertedAt,
    LeadStage Stage);
