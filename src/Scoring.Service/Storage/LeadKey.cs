namespace Scoring.Service.Storage;

/// <summary>A lead's identity: the practice and the lead's subject (a pseudonym, so PHI: never logged).</summary>
internal sealed record LeadKey(string Practice, string Subject);
