using Scoring.Engine.Stages;

namespace Scoring.Service.Storage;

/// <summary>
/// A stored lead: its stage state, creation time, first-touch UTM fields, the optimistic-concurrency version every
/// write checks and bumps, and its location, service line and type as last evaluated. Scores are not stored: they
/// are computed from the events.
/// </summary>
internal sealed record LeadRecord(
    LeadKey Key,
    string Vertical,
    LeadState State,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastEventAt,
    string? Campaign,
    string? Source,
    string? Medium,
    DateTimeOffset? NextCheckAt,
    long Version,
    LeadFacts Facts);
