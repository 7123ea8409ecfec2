using Scoring.Engine.Scoring;

namespace Scoring.Engine.Stages;

/// <summary>One sentence on why a lead is in its stage, for people reading a breakdown.</summary>
public static class StageExplanation
{
    /// <param name="entry">The transition into the current stage, if known.</param>
    public static string Why(LeadStage stage, ScoreBreakdown now, StageTransition? entry)
    {
        var score = $"score {LeadScorer.Format(now.Score)} (fit {LeadScorer.Format(now.Fit)} + intent {LeadScorer.Format(now.Intent)})";
        var threshold = LeadScorer.Format(now.Threshold);
        var direct = now.DirectRules.Where(r => r.Holds).ToList();
        switch (stage)
        {
            case LeadStage.Mql when now.QualifiesByScore:
                return $"MQL: {score} exceeds the threshold {threshold}.";
            case LeadStage.Mql when direct.Count > 0:
                return $"MQL: direct rule {string.Join(", ", direct.Select(r => $"'{r.Rule}' (until {r.Until:yyyy-MM-dd HH:mm} UTC)"))} holds; {score} does not exceed the threshold {threshold}.";
            case LeadStage.Lead or LeadStage.Mql when !now.Contactable && (now.QualifiesByScore || direct.Count > 0):
                return $"Lead: {score} would qualify, but nobody can reach the lead (needs {now.ContactRequirement}).";
            case LeadStage.Lead or LeadStage.Mql:
                return $"Lead: {score} does not exceed the threshold {threshold} and no direct rule holds.";
            case LeadStage.Recycled when entry is { IsPersonal: true }:
                return $"Recycled by a person ({entry.Reason}; {entry.Actor}, {entry.At:yyyy-MM-dd HH:mm} UTC); only engagement after that counts towards re-qualifying; now {score}.";
            case LeadStage.Recycled:
                return $"Recycled: {entry?.Reason ?? "no longer qualified"}; now {score}, threshold {threshold}.";
            default:
                var by = entry is null ? string.Empty : $" ({entry.Reason}; {entry.Actor}, {entry.At:yyyy-MM-dd HH:mm} UTC)";
                var label = stage == LeadStage.Sql ? "SQL" : stage.ToString();
                return $"{label}: decided by a person{by}; {score}.";
        }
    }
}
