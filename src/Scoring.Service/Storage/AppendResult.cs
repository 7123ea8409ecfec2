namespace Scoring.Service.Storage;

/// <summary>What storing a batch did: new events, events already stored (same practice and message id), leads touched.</summary>
internal sealed record AppendResult(int Accepted, int Duplicates, IReadOnlyList<LeadKey> AffectedLeads);
