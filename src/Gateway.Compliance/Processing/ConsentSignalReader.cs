using System.Text.Json;
using Gateway.Compliance.Consent;
using Gateway.Compliance.Policies;

namespace Gateway.Compliance.Processing;

/// <summary>
/// Reads the consent decisions an event carries: Segment's <c>context.consent.categoryPreferences</c>
/// (mapped to purposes by the policy) and, for the policy's SMS reply events, a revocation by any reasonable
/// means (<see cref="SmsRevocation"/>), which revokes <c>sms</c>.
/// </summary>
internal static class ConsentSignalReader
{
    public static IReadOnlyList<ConsentSignal> Read(JsonElement evt, CompiledEventType eventType, CompiledPolicy policy)
    {
        var consent = policy.Definition.Consent;
        List<ConsentSignal>? signals = null;
        if (consent.CategoryPreferences.Count > 0
            && evt.TryGetProperty("context"u8, out var context) && context.ValueKind == JsonValueKind.Object
            && context.TryGetProperty("consent"u8, out var consentObject) && consentObject.ValueKind == JsonValueKind.Object
            && consentObject.TryGetProperty("categoryPreferences"u8, out var preferences) && preferences.ValueKind == JsonValueKind.Object)
        {
            foreach (var (category, purpose) in consent.CategoryPreferences)
            {
                if (preferences.TryGetProperty(category, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    (signals ??= []).Add(new ConsentSignal(purpose, value.ValueKind == JsonValueKind.True ? ConsentDecision.Granted : ConsentDecision.Revoked,
                        ConsentSources.Event, "categoryPreferences." + category));
                }
            }
        }

        if (eventType.EventName is { } name && consent.SmsReplyEvents.Contains(name) && TryGetPath(evt, consent.SmsKeywordField, out var reply)
            && reply.ValueKind == JsonValueKind.String && SmsRevocation.MatchedRule(reply.GetString()) is { } rule)
        {
            // The reference names the event and the rule that matched (never the reply's text).
            (signals ??= []).Add(new ConsentSignal(ConsentPurposes.Sms, ConsentDecision.Revoked, ConsentSources.Sms, $"{name} ({rule})"));
        }

        return signals ?? (IReadOnlyList<ConsentSignal>)[];
    }

    private static bool TryGetPath(JsonElement element, string path, out JsonElement value)
    {
        value = element;
        foreach (var segment in path.Split('.'))
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(segment, out value))
            {
                return false;
            }
        }

        return true;
    }
}
