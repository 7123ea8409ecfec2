using Scoring.Engine.Stages;

namespace Scoring.Service.Storage;

/// <summary>Filters for listing leads; null means any. Newest stage changes first.</summary>
internal sealed record LeadQuery(
    string? Practice,
    string? Vertical,
    LeadStage? Stage,
    string? Queue,
    string? Location,
    string? ServiceLine,
    int Limit,
    int Offset);
