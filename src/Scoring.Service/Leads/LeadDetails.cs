using Scoring.Engine.Scoring;
using Scoring.Engine.Stages;
using Scoring.Service.Storage;

namespace Scoring.Service.Leads;

/// <summary>A lead as of one evaluation: its record, the configuration that scored it, the evaluation and its history.</summary>
internal sealed record LeadDetails(LeadRecord Lead, ScoringProfile Profile, Evaluation Evaluation, IReadOnlyList<StoredTransition> Transitions);
