using Gateway.Compliance.Paths;

namespace Gateway.Compliance.Policies.Validation;

/// <summary>
/// The <c>context</c> fields that Segment and RudderStack SDKs add on their own are each handled by an
/// explicit rule (on the field, a wildcard over it, or an ancestor) for every event type. They would be
/// dropped anyway; the rule makes the decision visible to a reviewer.
/// </summary>
internal sealed class SdkContextFieldsAreExplicit : IPolicyRule
{
    /// <summary>The fields SDKs add without being asked.</summary>
    public static readonly string[] SdkContextFields =
    [
        "context.ip", "context.userAgent",
        "context.page.url", "context.page.path", "context.page.referrer", "context.page.search", "context.page.title",
        "context.campaign.name", "context.campaign.source", "context.campaign.medium", "context.campaign.term", "context.campaign.content",
        "context.device.id", "context.device.advertisingId",
        "context.library.name", "context.library.version",
        "context.locale", "context.timezone",
    ];

    public void Validate(PolicyValidationContext context)
    {
        foreach (var field in SdkContextFields)
        {
            var target = field.Split('.');
            var missing = context.Definition.EventTypes
                .Where(e => !context.EffectiveRules(e).Any(r => Covers(r.PathText, target)))
                .Select(e => e.Key)
                .ToList();
            if (missing.Count > 0)
            {
                context.AddError(context.Definition.Location, "fields",
                    $"SDK context field '{field}' has no explicit rule for: {string.Join(", ", missing)} (add one under 'fields', e.g. '{field}: drop')");
            }
        }
    }

    private static bool Covers(string pathText, string[] target)
    {
        if (!FieldPath.TryParse(pathText, out var path, out _) || path!.Segments.Count > target.Length)
        {
            return false;
        }

        for (var i = 0; i < path.Segments.Count; i++)
        {
            if (path.Segments[i] != FieldPath.Wildcard && path.Segments[i] != target[i])
            {
                return false;
            }
        }

        return true;
    }
}
