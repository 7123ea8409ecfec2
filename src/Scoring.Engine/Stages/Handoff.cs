namespace Scoring.Engine.Stages;

/// <summary>
/// Where an MQL was routed when it qualified: the queue (<c>location/queue</c> at a practice location), when it was
/// handed off, its SLA and by when the queue must respond (in that location's office hours), with the service
/// interest and location at that time.
/// </summary>
public sealed record Handoff(string Queue, DateTimeOffset AssignedAt, DateTimeOffset DueAt, string? ServiceLine, string? Location, string? Sla = null)
{
    public bool IsOverdue(DateTimeOffset now) => now > DueAt;
}
