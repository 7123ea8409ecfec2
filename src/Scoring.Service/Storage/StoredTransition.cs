using Scoring.Engine.Stages;

namespace Scoring.Service.Storage;

/// <summary>A recorded transition and the API client (key name) whose request made it; null for the system's.</summary>
internal sealed record StoredTransition(StageTransition Transition, string? Client);
