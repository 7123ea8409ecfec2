using Gateway.Compliance.Baa;
using Gateway.Compliance.Classification;
using Gateway.Compliance.Consent;
using Gateway.Compliance.Policies;
using Gateway.Compliance.Policies.Definitions;

namespace Gateway.Compliance.Processing;

/// <summary>
/// Decides, for one scrubbed event and one destination, whether it may go there: first the consent the
/// destination needs (per event type), then the BAA. An event carrying PHI (pseudonyms included, which
/// remain PHI under 45 CFR 164.514(c)) goes only to a destination whose BAA is in force and covers every
/// PHI class it carries; otherwise it is dropped, or reduced to de-identified fields if the policy says so.
/// </summary>
public static class DestinationPlanner
{
    public const string ConsentMissing = "consent-missing";
    public const string BaaMissing = "baa-missing";
    public const string BaaNotInForce = "baa-not-in-force";
    public const string BaaNotCovering = "baa-not-covering";

    /// <summary>The plan: a decision, and, when the event must be reduced, the classes the reduced form may hold.</summary>
    public readonly record struct Plan(DestinationDecision Decision, DataClasses? ReduceTo);

    public static Plan Decide(CompiledEventType eventType, DestinationDefinition destination, DataClasses classes, ConsentState consent, BaaRecord? baa, DateTimeOffset now)
    {
        var (missing, basis) = consent.Check(eventType.PurposesFor(destination), now);
        if (missing.Count > 0)
        {
            return new Plan(new DestinationDecision
            {
                Destination = destination.Name,
                Outcome = DestinationDecision.Dropped,
                Reason = ConsentMissing,
                MissingPurposes = missing,
                ConsentRecordIds = basis,
                BaaRecordId = baa?.Id,
            }, null);
        }

        var phi = classes.PhiPart();
        if (phi == DataClasses.None)
        {
            return new Plan(new DestinationDecision { Destination = destination.Name, Outcome = DestinationDecision.Forward, ConsentRecordIds = basis }, null);
        }

        var covered = baa is not null && baa.InForceAt(now) ? baa.Covers : DataClasses.None;
        if ((phi & ~covered) == DataClasses.None)
        {
            return new Plan(new DestinationDecision
            {
                Destination = destination.Name,
                Outcome = DestinationDecision.Forward,
                ConsentRecordIds = basis,
                BaaRecordId = baa!.Id,
            }, null);
        }

        var reason = baa is null ? BaaMissing : !baa.InForceAt(now) ? BaaNotInForce : BaaNotCovering;
        if (destination.WithoutBaa == WithoutBaaHandling.Deidentify)
        {
            return new Plan(new DestinationDecision
            {
                Destination = destination.Name,
                Outcome = DestinationDecision.Forward,
                Reason = reason,
                ConsentRecordIds = basis,
                BaaRecordId = baa?.Id,
                Deidentified = true,
            }, DataClassNames.Deidentified | (covered & phi));
        }

        return new Plan(new DestinationDecision
        {
            Destination = destination.Name,
            Outcome = DestinationDecision.Dropped,
            Reason = reason,
            ConsentRecordIds = basis,
            BaaRecordId = baa?.Id,
        }, null);
    }
}
