using Scoring.Engine.Stages;

namespace Scoring.Engine.Funnel;

/// <summary>
/// What the funnel needs of one lead: when it was created, its first-touch UTM fields (as the policy let them
/// through), when it first entered MQL, SQL and conversion (null if never), and its service line, location and
/// lead type as last evaluated.
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
    LeadStage Stage,
    string? ServiceLine = null,
    string? Location = null,
    string? LeadType = null);
