using Gateway.Compliance.Policies.Definitions;
using Newtonsoft.Json.Linq;

namespace Gateway.Compliance.Policies.Yaml;

/// <summary>Maps a policy's token tree (already checked against the policy format schema) to definitions with locations.</summary>
internal sealed class PolicyDefinitionReader
{
    private static readonly string[] s_nonTrackTypes = ["identify", "page", "screen", "group", "alias"];

    private readonly YamlJsonReader _yaml;
    private readonly string _file;

    public PolicyDefinitionReader(YamlJsonReader yaml, string file)
    {
        _yaml = yaml;
        _file = file;
    }

    public PolicyDefinition Read(JObject root)
    {
        var destinations = new List<DestinationDefinition>();
        if (root["destinations"] is JObject destinationMap)
        {
            foreach (var property in destinationMap.Properties())
            {
                var d = (JObject)property.Value;
                destinations.Add(new DestinationDefinition
                {
                    Name = property.Name,
                    Cluster = (string)d["cluster"]!,
                    Description = (string?)d["description"],
                    Purposes = Strings(d["purposes"]),
                    WithoutBaa = (string?)d["withoutBaa"] == "deidentify" ? WithoutBaaHandling.Deidentify : WithoutBaaHandling.Drop,
                    Kind = KindOf((string?)d["kind"]),
                    Enabled = (bool?)d["enabled"] ?? true,
                    Ads = KindOf((string?)d["kind"]) == DestinationKind.Scoring ? null : ReadAds(d, property),
                    Location = At(property),
                });
            }
        }

        var eventTypes = new List<EventTypeDefinition>();
        foreach (var type in s_nonTrackTypes)
        {
            if (root.Property(type) is { Value: JObject definition } property)
            {
                eventTypes.Add(ReadEventType(type, null, definition, property));
            }
        }

        if (root["track"] is JObject track)
        {
            foreach (var property in track.Properties())
            {
                eventTypes.Add(ReadEventType("track", property.Name, (JObject)property.Value, property));
            }
        }

        return new PolicyDefinition
        {
            Name = (string)root["name"]!,
            Version = (string)root["version"]!,
            Description = (string?)root["description"],
            UnlistedEvents = (string?)root["unlistedEvents"] == "reject" ? UnlistedEventHandling.Reject : UnlistedEventHandling.Drop,
            Destinations = destinations,
            CommonFields = ReadFields(root["fields"] as JObject, "fields"),
            EventTypes = eventTypes,
            Consent = ReadConsent(root["consent"] as JObject),
            ValueSets = root["values"] is JObject sets
                ? [.. sets.Properties().Select(p => new ValueSetDefinition(p.Name, Strings(p.Value), At(p)))]
                : [],
            Vocabulary = Strings(root["vocabulary"]),
            Urls = ReadUrls(root["urls"] as JObject),
            Location = new SourceLocation(_file, 1, 1),
        };
    }

    private UrlsDefinition ReadUrls(JObject? urls)
    {
        if (urls is null)
        {
            return new UrlsDefinition();
        }

        IReadOnlyList<(string, SourceLocation)> Located(JToken? token) =>
            token is JArray array ? [.. array.Select(t => ((string)t!, At(t)))] : [];
        return new UrlsDefinition { Paths = Located(urls["paths"]), Hosts = Located(urls["hosts"]) };
    }

    private EventTypeDefinition ReadEventType(string type, string? eventName, JObject definition, JProperty property)
    {
        var policyPath = eventName is null ? type : $"track.\"{eventName}\"";
        Dictionary<string, IReadOnlyList<string>>? purposes = null;
        if (definition["purposes"] is JObject purposeMap)
        {
            purposes = purposeMap.Properties().ToDictionary(p => p.Name, p => Strings(p.Value), StringComparer.Ordinal);
        }

        return new EventTypeDefinition
        {
            Type = type,
            EventName = eventName,
            Schema = (string)definition["schema"]!,
            Fields = ReadFields(definition["fields"] as JObject, policyPath + ".fields"),
            Destinations = definition["destinations"] is JArray ? Strings(definition["destinations"]) : null,
            Purposes = purposes,
            Location = At(property),
        };
    }

    private List<FieldRuleDefinition> ReadFields(JObject? fields, string prefix)
    {
        var rules = new List<FieldRuleDefinition>();
        if (fields is null)
        {
            return rules;
        }

        foreach (var property in fields.Properties())
        {
            var policyPath = $"{prefix}.\"{property.Name}\"";
            if (property.Value.Type == JTokenType.String)
            {
                rules.Add(new FieldRuleDefinition
                {
                    PathText = property.Name,
                    Action = (string)property.Value!,
                    Options = [],
                    PolicyPath = policyPath,
                    Location = At(property),
                });
                continue;
            }

            var rule = (JObject)property.Value;
            var options = new JObject();
            foreach (var option in rule.Properties())
            {
                if (option.Name is not ("action" or "derive" or "class"))
                {
                    options.Add(option.Name, option.Value.DeepClone());
                }
            }

            var derive = new List<DeriveDefinition>();
            if (rule["derive"] is JArray items)
            {
                foreach (var item in items)
                {
                    var feature = item.Type == JTokenType.String ? (string)item! : (string)item["feature"]!;
                    var outputName = item.Type == JTokenType.String ? feature : ((string?)item["as"] ?? feature);
                    var deriveOptions = new JObject();
                    if (item is JObject entry)
                    {
                        foreach (var option in entry.Properties().Where(o => o.Name is not ("feature" or "as")))
                        {
                            deriveOptions.Add(option.Name, option.Value.DeepClone());
                        }
                    }

                    derive.Add(new DeriveDefinition(feature, outputName, At(item)) { Options = deriveOptions });
                }
            }

            rules.Add(new FieldRuleDefinition
            {
                PathText = property.Name,
                Action = (string)rule["action"]!,
                Options = options,
                Derive = derive,
                Class = (string?)rule["class"],
                PolicyPath = policyPath,
                Location = At(property),
            });
        }

        return rules;
    }

    private static ConsentDefinition ReadConsent(JObject? consent)
    {
        if (consent is null)
        {
            return new ConsentDefinition();
        }

        var categories = consent["categoryPreferences"] is JObject map
            ? map.Properties().ToDictionary(p => p.Name, p => (string)p.Value!, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        return new ConsentDefinition
        {
            CategoryPreferences = categories,
            SmsReplyEvents = Strings(consent["smsReplyEvents"]),
            SmsKeywordField = (string?)consent["smsKeywordField"] ?? new ConsentDefinition().SmsKeywordField,
        };
    }

    private static DestinationKind KindOf(string? kind) => kind switch
    {
        "meta-capi" => DestinationKind.MetaCapi,
        "google-ads-conversions" => DestinationKind.GoogleAdsConversions,
        _ => DestinationKind.Scoring,
    };

    private AdDestinationDefinition ReadAds(JObject d, JProperty property)
    {
        var identifiers = d["identifiers"] as JObject;
        var value = d["value"] as JObject;
        return new AdDestinationDefinition
        {
            Mode = (string?)d["mode"] == "authorized" ? AdMode.Authorized : AdMode.Deidentified,
            DryRun = (bool?)d["dryRun"] ?? false,
            Events = d["events"] is JObject events
                ? events.Properties().ToDictionary(p => p.Name, p => (string)p.Value!, StringComparer.Ordinal)
                : new Dictionary<string, string>(StringComparer.Ordinal),
            EventTime = (string?)d["eventTime"] == "hour" ? AdTimeGranularity.Hour : AdTimeGranularity.Day,
            ActionSource = (string?)d["actionSource"] ?? "other",
            ValuePath = (string?)value?["path"],
            Currency = (string?)value?["currency"],
            EmailPaths = Strings(identifiers?["email"]),
            PhonePaths = Strings(identifiers?["phone"]),
            Location = At(property),
        };
    }

    private static IReadOnlyList<string> Strings(JToken? token) =>
        token is JArray array ? [.. array.Select(t => (string)t!)] : [];

    private SourceLocation At(JToken token)
    {
        var (line, column) = _yaml.LocationOf(token);
        return new SourceLocation(_file, line, column);
    }
}
