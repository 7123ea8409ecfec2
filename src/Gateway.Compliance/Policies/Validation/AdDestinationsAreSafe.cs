using Gateway.Compliance.Consent;
using Gateway.Compliance.Policies.Definitions;

namespace Gateway.Compliance.Policies.Validation;

/// <summary>
/// An ad-platform destination reveals nothing about health by construction (docs/destinations.md):
/// <list type="bullet">
/// <item>Meta events map to Meta's standard event names only: a custom name could name a condition or procedure.</item>
/// <item>Every mapped event is a track event the policy lists; Google conversion keys are plain names.</item>
/// <item>The destination needs the <c>advertising</c> purpose.</item>
/// <item>The value comes from a field every mapped event keeps as non-PHI: a mapping never forwards a sensitive property.</item>
/// <item>Identifiers are read only from the subject's own traits: the authorization covers the subject, not whoever a form names.</item>
/// <item>Meta events cannot claim <c>action_source: website</c>, which Meta only takes with the browser's user agent
/// (an identifier under the OCR tracking bulletin, never sent).</item>
/// </list>
/// </summary>
internal sealed class AdDestinationsAreSafe : IPolicyRule
{
    /// <summary>Meta's standard events (Meta Pixel reference): neutral names that say what was done, not why.</summary>
    public static readonly IReadOnlySet<string> MetaStandardEvents = new HashSet<string>(StringComparer.Ordinal)
    {
        "AddPaymentInfo", "AddToCart", "AddToWishlist", "CompleteRegistration", "Contact", "CustomizeProduct", "Donate", "FindLocation",
        "InitiateCheckout", "Lead", "Purchase", "Schedule", "Search", "StartTrial", "SubmitApplication", "Subscribe", "ViewContent",
    };

    public void Validate(PolicyValidationContext context)
    {
        var definition = context.Definition;
        var trackTypes = definition.EventTypes.Where(e => e.EventName is not null).ToDictionary(e => e.EventName!, StringComparer.Ordinal);
        foreach (var destination in definition.Destinations)
        {
            if (destination.Ads is not { } ads)
            {
                continue;
            }

            var at = $"destinations.{destination.Name}";
            void Error(string path, string message) => context.AddError(ads.Location, at + path, message);

            if (!destination.Purposes.Contains(ConsentPurposes.Advertising))
            {
                Error(".purposes", "an ad platform needs the 'advertising' purpose");
            }

            if (ads.Events.Count == 0)
            {
                Error(".events", "map at least one track event to a platform event");
            }

            foreach (var (eventName, platformEvent) in ads.Events)
            {
                if (!trackTypes.TryGetValue(eventName, out var eventType))
                {
                    Error($".events.{eventName}", $"'{eventName}' is not a track event of this policy");
                    continue;
                }

                if (destination.Kind == DestinationKind.MetaCapi && !MetaStandardEvents.Contains(platformEvent))
                {
                    Error($".events.{eventName}", $"'{platformEvent}' is not a Meta standard event; a custom name could reveal a condition or procedure (use Lead, Schedule, Contact, ...)");
                }

                if (destination.Kind == DestinationKind.GoogleAdsConversions && !platformEvent.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
                {
                    Error($".events.{eventName}", $"'{platformEvent}' must be a conversion action key of [a-z0-9_] that each practice maps to its conversion action");
                }

                if (ads.ValuePath is { } valuePath && !KeepsAsNonPhi(context, eventType, valuePath))
                {
                    Error(".value.path", $"'{valuePath}' is not kept as non-phi by '{eventName}': a mapping may not forward a sensitive property");
                }
            }

            // The authorization belongs to the subject: only the subject's own traits may be hashed and sent, never a form
            // property (an appointment requested for a child or a referral names someone else).
            foreach (var path in ads.EmailPaths.Concat(ads.PhonePaths).Where(p => !p.StartsWith("traits.", StringComparison.Ordinal) && !p.StartsWith("context.traits.", StringComparison.Ordinal)))
            {
                Error(".identifiers", $"'{path}' is not one of the subject's own traits (traits.* or context.traits.*): a form property may be about someone else");
            }

            if (destination.Kind == DestinationKind.MetaCapi && ads.ActionSource == "website")
            {
                Error(".actionSource", "Meta takes 'website' events only with the browser's user agent, which the gateway never sends; use 'other' or 'system_generated'");
            }
        }
    }

    private static bool KeepsAsNonPhi(PolicyValidationContext context, EventTypeDefinition eventType, string path) =>
        context.EffectiveRules(eventType).Any(r => r.PathText == path && r.Action == "keep" && r.Class == "non-phi");
}
