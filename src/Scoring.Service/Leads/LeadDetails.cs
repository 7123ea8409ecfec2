using Scoring.Engine.Configuration;
using Scoring.Engine.Stages;
using Scoring.Service.Storage;

namespace Scoring.Service.Leads;

/// <summary>A lead as of one evaluation: its record, the configuration that scored it, the evaluation and its history.</summary>
internal sealed record LeadDetails(LeadRecord Lead, ScoringConfig Config, Evaluation Evaluation, IReadOnlyList<StoredTransition> Transitions);
