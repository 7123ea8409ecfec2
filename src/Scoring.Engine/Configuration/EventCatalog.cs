using Gateway.Compliance.Policies;
using Gateway.Compliance.Policies.Analysis;

namespace Scoring.Engine.Configuration;

/// <summary>
/// The event types a vertical's gateway forwards and what each can carry at the paths scoring reads
/// (<c>properties.*</c>, <c>traits.*</c>, <c>derived.*</c>, <c>context.campaign.{name,source,medium}</c>), as the
/// vertical's policy decides it (<see cref="ForwardedFieldCatalog"/>). Lets the loader refuse a misspelled event or
/// field, and a condition that can never be true of what the policy forwards (a number test on a band label, a value
/// outside an enum), before it silently scores nothing.
/// </summary>
public sealed class EventCatalog
{
    /// <summary>The UTM fields scoring reads from an event's context.</summary>
    public static readonly IReadOnlySet<string> CampaignFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "context.campaign.name", "context.campaign.source", "context.campaign.medium",
    };

    private static readonly string[] s_scoredRoots = ["properties.", "traits.", "derived."];

    private readonly ForwardedFieldCatalog _forwarded;

    public EventCatalog(ForwardedFieldCatalog forwarded)
    {
        _forwarded = forwarded;
    }

    public IReadOnlyCollection<string> Events => _forwarded.EventKeys;

    public bool Contains(string eventKey) => _forwarded.Contains(eventKey);

    /// <summary>What events of <paramref name="eventKey"/> forward at <paramref name="path"/> for scoring; null when nothing.</summary>
    public ForwardedValue? Field(string eventKey, string path) => IsScored(path) ? _forwarded.Find(eventKey, path) : null;

    /// <summary>What any event type forwards at <paramref name="path"/> for scoring; null when none does.</summary>
    public ForwardedValue? FieldInAnyEvent(string path) => IsScored(path) ? _forwarded.FindInAnyEvent(path) : null;

    /// <summary>Every value an attribute can take: what any event forwards at any of its sources; null when none does.</summary>
    public ForwardedValue? Attribute(AttributeDefinition attribute) =>
        attribute.Sources.Select(FieldInAnyEvent).OfType<ForwardedValue>().Aggregate((ForwardedValue?)null, (a, b) => a is null ? b : a.Union(b));

    /// <summary>The catalog of the policy in <paramref name="directory"/>; a policy that does not load is an error.</summary>
    public static EventCatalog? Load(string directory, string scoringFile, List<ScoringConfigError> errors)
    {
        var result = new PolicyLoader().Load(directory);
        if (result.Policy is null)
        {
            errors.Add(new ScoringConfigError(new SourceLocation(scoringFile, 0, 0), string.Empty,
                $"the vertical's {PolicyLoader.PolicyFileName} does not load ({result.Errors.Count} error(s); run 'gatewayctl policy lint'), so what it forwards cannot be checked"));
            return null;
        }

        return new EventCatalog(ForwardedFieldCatalog.Of(result.Policy));
    }

    private static bool IsScored(string path) =>
        CampaignFields.Contains(path) || s_scoredRoots.Any(root => path.StartsWith(root, StringComparison.Ordinal) && path.Length > root.Length);
}
