using Scoring.Engine.Scoring;
using Scoring.Service.Storage;

namespace Scoring.Service.Leads;

/// <summary>A lead in a list, with its score at the time of listing.</summary>
internal sealed record LeadSummary(LeadRecord Lead, ScoreBreakdown? Breakdown);
