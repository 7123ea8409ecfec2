using Scoring.Engine.Configuration;

namespace Gateway.Cli.Support;

/// <summary>
/// The scoring side of a vertical: the scoring service scores only the verticals that have a valid
/// <c>scoring.yaml</c> beside their policy, and refuses (400, dead letters) every event of any other. A policy
/// whose destination is the scoring service therefore needs one; lint reports a missing or invalid one with the
/// scoring service's own load-time checks, so a new vertical cannot go live half-working.
/// </summary>
internal static class ScoringFiles
{
    public static IReadOnlyList<string> Check(string policyFolder, string vertical)
    {
        var result = new ScoringConfigLoader().Load(policyFolder);
        if (result.Succeeded)
        {
            return [];
        }

        return [.. result.Errors.Select(e => e.Message.StartsWith("no ", StringComparison.Ordinal)
            ? $"{vertical}/{ScoringConfig.FileName}: missing: the scoring service cannot score vertical '{vertical}' (every event would be refused and dead-lettered); gatewayctl policy new scaffolds one"
            : $"{vertical}/{e}")];
    }
}
