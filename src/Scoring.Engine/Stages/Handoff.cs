namespace Scoring.Engine.Stages;

/// <summary>
/// Where an MQL was routed when it qualified: the queue, when it was handed off and by when the queue must
/// respond, with the service interest and location at that time.
/// </summary>
public sealed record Handoff(string Queue, DateTimeOffset AssignedAt, DateTimeOffset DueAt, string? ServiceLine, string? Location)
{
    public bool IsOverdue(DateTimeOffset now) => now > DueAt;
}
