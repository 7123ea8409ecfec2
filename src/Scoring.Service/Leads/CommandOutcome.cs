using Scoring.Engine.Stages;

namespace Scoring.Service.Leads;

/// <summary>The outcome of a person's stage change: the lead after it, or why it was refused, or no such lead.</summary>
internal sealed record CommandOutcome(LeadDetails? Details, CommandResult? Refused)
{
    public static CommandOutcome NotFound { get; } = new(null, null);
}
