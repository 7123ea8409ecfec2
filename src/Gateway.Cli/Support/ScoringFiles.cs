using Gateway.Compliance.Policies;
using Gateway.Compliance.Policies.Analysis;
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
    /// <summary>The scoring service's load-time errors for a vertical; conditions are checked against what
    /// <paramref name="policy"/> forwards (a number test on a band label never holds) when it loaded.</summary>
    public static IReadOnlyList<string> Check(string policyFolder, string vertical, CompiledPolicy? policy = null)
    {
        var result = new ScoringConfigLoader().Load(policyFolder, policy is null ? null : ForwardedFieldCatalog.Of(policy));
        if (result.Succeeded)
        {
            return [];
        }

        return [.. result.Errors.Select(e => e.Message.StartsWith("no ", StringComparison.Ordinal)
            ? $"{vertical}/{ScoringConfig.FileName}: missing: the scoring service cannot score vertical '{vertical}' (every event would be refused and dead-lettered); gatewayctl policy new scaffolds one"
            : $"{vertical}/{e}")];
    }
}
