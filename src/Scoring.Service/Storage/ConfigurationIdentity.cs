namespace Scoring.Service.Storage;

/// <summary>
/// The configuration that scores a vertical's leads: of one practice (its own file), or of every practice of the
/// vertical without one (<see cref="Practice"/> null); a lead scored with another one is due for evaluation.
/// </summary>
internal sealed record ConfigurationIdentity(string Vertical, string? Practice, string Sha256);
