namespace Gateway.Compliance.Consent;

/// <summary>A consent decision an event itself carries (Segment categoryPreferences, or an SMS opt-out reply).</summary>
public readonly record struct ConsentSignal(string Purpose, ConsentDecision Decision, string Source, string? SourceReference);
