using Scoring.Engine.Events;
using Scoring.Engine.Routing;
using Scoring.Engine.Stages;
using YamlDotNet.RepresentationModel;

namespace Scoring.Engine.Configuration.Yaml;

/// <summary>
/// Maps a scoring file to a <see cref="ScoringConfig"/>, checking its structure: the keys of every object come from
/// <c>policies/scoring.schema.json</c> (<see cref="ScoringFormat"/>), the schema editors use. Returns null if any structural error was found;
/// the errors are in <see cref="Errors"/>. Meaning (names resolve, numbers in range) is checked afterwards.
/// </summary>
internal sealed class ScoringFileReader
{
    private readonly YamlFileReader _yaml;

    public ScoringFileReader(string file)
    {
        _yaml = new YamlFileReader(file);
    }

    public IReadOnlyList<ScoringConfigError> Errors => _yaml.Errors;

    public ScoringConfig? Read(string text, string sha256)
    {
        if (_yaml.ReadRoot(text) is not { } root)
        {
            return null;
        }

        Keys(root, string.Empty, string.Empty);
        var vertical = _yaml.String(YamlFileReader.Child(root, "vertical"), "vertical");
        var version = _yaml.String(YamlFileReader.Child(root, "version"), "version");
        _yaml.String(YamlFileReader.Child(root, "description"), "description");
        var threshold = _yaml.Number(YamlFileReader.Child(root, "threshold"), "threshold");
        var decay = ReadDecay(YamlFileReader.Child(root, "decay"));
        var attributes = ReadAttributes(YamlFileReader.Child(root, "attributes"));
        var fit = ReadFit(YamlFileReader.Child(root, "fit"));
        var intent = ReadIntent(YamlFileReader.Child(root, "intent"));
        var direct = ReadDirectRules(YamlFileReader.Child(root, "directQualification"));
        var conversions = ReadConversionRules(YamlFileReader.Child(root, "automaticConversion"));
        var stages = ReadStages(YamlFileReader.Child(root, "stages"));
        var leadTypes = ReadLeadTypes(YamlFileReader.Child(root, "leadTypes"));
        var routing = ReadRouting(YamlFileReader.Child(root, "routing"));

        if (_yaml.Errors.Count > 0 || vertical is null || version is null || threshold is null || intent is null || stages is null || routing is null)
        {
            return null;
        }

        return new ScoringConfig
        {
            Vertical = vertical,
            Version = version,
            Threshold = threshold.Value,
            DecayPerQuarter = decay ?? ScoringConfig.DefaultDecayPerQuarter,
            Attributes = attributes,
            Fit = fit,
            Intent = intent,
            DirectRules = direct,
            ConversionRules = conversions,
            Stages = stages,
            LeadTypes = leadTypes,
            Routing = routing,
            Sha256 = sha256,
            Location = _yaml.At(root),
            SettingLocations = SettingLocations(root),
        };
    }

    private Dictionary<string, SourceLocation> SettingLocations(YamlMappingNode root)
    {
        var locations = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        foreach (var name in new[] { "vertical", "threshold", "fit" })
        {
            if (YamlFileReader.Child(root, name) is { } node)
            {
                locations[name] = _yaml.At(node);
            }
        }

        if (YamlFileReader.Child(root, "decay") is YamlMappingNode decay && YamlFileReader.Child(decay, "perQuarter") is { } rate)
        {
            locations["decay.perQuarter"] = _yaml.At(rate);
        }

        return locations;
    }

    private double? ReadDecay(YamlNode? node)
    {
        if (_yaml.Mapping(node, "decay") is not { } map)
        {
            return null;
        }

        Keys(map, "decay", "decay");
        return _yaml.Number(YamlFileReader.Child(map, "perQuarter"), "decay.perQuarter");
    }

    private List<AttributeDefinition> ReadAttributes(YamlNode? node)
    {
        var result = new List<AttributeDefinition>();
        if (_yaml.Mapping(node, "attributes") is not { } map)
        {
            return result;
        }

        foreach (var (name, key, value) in _yaml.Entries(map, "attributes"))
        {
            var path = YamlFileReader.Join("attributes", name);
            if (_yaml.Strings(value, path) is { } sources)
            {
                if (sources.Count == 0)
                {
                    _yaml.Error(value, path, "lists no event fields");
                }

                result.Add(new AttributeDefinition { Name = name, Sources = sources, Location = _yaml.At(key) });
            }
        }

        return result;
    }

    private List<FitRule> ReadFit(YamlNode? node)
    {
        var result = new List<FitRule>();
        if (_yaml.Mapping(node, "fit") is not { } map)
        {
            return result;
        }

        foreach (var (name, key, value) in _yaml.Entries(map, "fit"))
        {
            var path = YamlFileReader.Join("fit", name);
            if (_yaml.Mapping(value, path) is not { } rule)
            {
                continue;
            }

            Keys(rule, path, "fit.*");
            var points = new Dictionary<string, double>(StringComparer.Ordinal);
            if (_yaml.Mapping(YamlFileReader.Child(rule, "points"), path + ".points") is { } pointMap)
            {
                foreach (var (text, valueKey, pointNode) in _yaml.Entries(pointMap, path + ".points"))
                {
                    var pointPath = YamlFileReader.Join(path + ".points", text);
                    if (_yaml.Number(pointNode, pointPath) is { } number && !points.TryAdd(FieldValues.Normalize(text), number))
                    {
                        _yaml.Error(valueKey, pointPath, "the same value is listed twice (values compare trimmed and lower-case)");
                    }
                }
            }

            result.Add(new FitRule
            {
                Attribute = name,
                Points = points,
                Otherwise = _yaml.Number(YamlFileReader.Child(rule, "otherwise"), path + ".otherwise"),
                Location = _yaml.At(key),
            });
        }

        return result;
    }

    private IntentSettings? ReadIntent(YamlNode? node)
    {
        if (_yaml.Mapping(node, "intent") is not { } map)
        {
            return null;
        }

        Keys(map, "intent", "intent");
        var events = new Dictionary<string, IntentRule>(StringComparer.Ordinal);
        if (_yaml.Mapping(YamlFileReader.Child(map, "events"), "intent.events") is { } eventMap)
        {
            foreach (var (name, key, value) in _yaml.Entries(eventMap, "intent.events"))
            {
                var path = YamlFileReader.Join("intent.events", name);
                if (_yaml.Mapping(value, path) is not { } rule)
                {
                    continue;
                }

                Keys(rule, path, "intent.events.*");
                var variants = new List<IntentVariant>();
                if (_yaml.Sequence(YamlFileReader.Child(rule, "variants"), path + ".variants") is { } list)
                {
                    for (var i = 0; i < list.Children.Count; i++)
                    {
                        var variantPath = $"{path}.variants[{i}]";
                        if (_yaml.Mapping(list.Children[i], variantPath) is not { } variant)
                        {
                            continue;
                        }

                        Keys(variant, variantPath, "intent.events.*.variants[]");
                        var when = ReadConditions(YamlFileReader.Child(variant, "when"), variantPath + ".when");
                        var points = _yaml.Number(YamlFileReader.Child(variant, "points"), variantPath + ".points");
                        variants.Add(new IntentVariant { When = when, Points = points ?? 0, Location = _yaml.At(variant) });
                    }
                }

                events[name] = new IntentRule
                {
                    Event = name,
                    Points = _yaml.Number(YamlFileReader.Child(rule, "points"), path + ".points") ?? 0,
                    MaxCount = _yaml.Integer(YamlFileReader.Child(rule, "maxCount"), path + ".maxCount"),
                    Variants = variants,
                    Location = _yaml.At(key),
                };
            }
        }

        return new IntentSettings
        {
            ServiceLineMultiplier = _yaml.Number(YamlFileReader.Child(map, "serviceLineMultiplier"), "intent.serviceLineMultiplier") ?? 1,
            Events = events,
            Location = _yaml.At(map),
        };
    }

    private List<DirectRule> ReadDirectRules(YamlNode? node)
    {
        var result = new List<DirectRule>();
        if (_yaml.Sequence(node, "directQualification") is not { } list)
        {
            return result;
        }

        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"directQualification[{i}]";
            if (_yaml.Mapping(list.Children[i], path) is not { } rule)
            {
                continue;
            }

            Keys(rule, path, "directQualification[]");
            var name = _yaml.String(YamlFileReader.Child(rule, "name"), path + ".name");
            var eventName = _yaml.String(YamlFileReader.Child(rule, "event"), path + ".event");
            var when = ReadConditions(YamlFileReader.Child(rule, "when"), path + ".when");
            var minFit = _yaml.Number(YamlFileReader.Child(rule, "minFit"), path + ".minFit");
            var days = WithinDays(rule, path);

            if (name is not null && eventName is not null && days is not null)
            {
                result.Add(new DirectRule
                {
                    Name = name,
                    Event = eventName,
                    When = when,
                    MinFit = minFit,
                    Window = TimeSpan.FromDays(days.Value),
                    Location = _yaml.At(rule),
                });
            }
        }

        return result;
    }

    /// <summary>A rule's <c>withinDays</c>: more than 0 and at most ten years, else an error and null.</summary>
    private double? WithinDays(YamlMappingNode rule, string path)
    {
        var days = _yaml.Number(YamlFileReader.Child(rule, "withinDays"), path + ".withinDays");
        if (days is <= 0 or > 3650)
        {
            _yaml.Error(YamlFileReader.Child(rule, "withinDays"), path + ".withinDays", "must be more than 0 and at most 3650 days");
            return null;
        }

        return days;
    }

    private List<ConversionRule> ReadConversionRules(YamlNode? node)
    {
        var result = new List<ConversionRule>();
        if (_yaml.Sequence(node, "automaticConversion") is not { } list)
        {
            return result;
        }

        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"automaticConversion[{i}]";
            if (_yaml.Mapping(list.Children[i], path) is not { } rule)
            {
                continue;
            }

            Keys(rule, path, "automaticConversion[]");
            var name = _yaml.String(YamlFileReader.Child(rule, "name"), path + ".name");
            var eventName = _yaml.String(YamlFileReader.Child(rule, "event"), path + ".event");
            var when = ReadConditions(YamlFileReader.Child(rule, "when"), path + ".when");
            var after = _yaml.Strings(YamlFileReader.Child(rule, "after"), path + ".after");
            var actor = _yaml.String(YamlFileReader.Child(rule, "actor"), path + ".actor");
            var attributeTo = YamlFileReader.Child(rule, "attributeTo") is { } field ? _yaml.String(field, path + ".attributeTo") : null;
            var days = WithinDays(rule, path);

            if (name is not null && eventName is not null && after is { Count: > 0 } && actor is not null && days is not null)
            {
                result.Add(new ConversionRule
                {
                    Name = name,
                    Event = eventName,
                    When = when,
                    After = after,
                    Window = TimeSpan.FromDays(days.Value),
                    Actor = actor,
                    AttributeTo = attributeTo,
                    Location = _yaml.At(rule),
                });
            }
        }

        return result;
    }

    private StageSettings? ReadStages(YamlNode? node)
    {
        if (_yaml.Mapping(node, "stages") is not { } map)
        {
            return null;
        }

        Keys(map, "stages", "stages");
        LeadStage? conversion = null;
        if (_yaml.String(YamlFileReader.Child(map, "conversion"), "stages.conversion") is { } text)
        {
            conversion = text switch
            {
                "appointment" => LeadStage.Appointment,
                "opportunity" => LeadStage.Opportunity,
                _ => null,
            };
            if (conversion is null)
            {
                _yaml.Error(YamlFileReader.Child(map, "conversion"), "stages.conversion", "must be 'appointment' or 'opportunity'");
            }
        }

        List<string>? criteria = null, sufficient = null;
        int? minimum = null;
        if (_yaml.Mapping(YamlFileReader.Child(map, "sql"), "stages.sql") is { } sql)
        {
            Keys(sql, "stages.sql", "stages.sql");
            criteria = _yaml.Strings(YamlFileReader.Child(sql, "criteria"), "stages.sql.criteria");
            sufficient = _yaml.Strings(YamlFileReader.Child(sql, "sufficient"), "stages.sql.sufficient");
            minimum = _yaml.Integer(YamlFileReader.Child(sql, "minimum"), "stages.sql.minimum");
        }

        var contactable = new List<IReadOnlyList<Condition>>();
        double? requalify = null;
        if (_yaml.Mapping(YamlFileReader.Child(map, "mql"), "stages.mql") is { } mql)
        {
            Keys(mql, "stages.mql", "stages.mql");
            if (_yaml.Sequence(YamlFileReader.Child(mql, "contactable"), "stages.mql.contactable") is { } ways)
            {
                for (var i = 0; i < ways.Children.Count; i++)
                {
                    var way = ReadConditions(ways.Children[i], $"stages.mql.contactable[{i}]");
                    if (way.Count == 0)
                    {
                        _yaml.Error(ways.Children[i], $"stages.mql.contactable[{i}]", "lists no conditions");
                    }

                    contactable.Add(way);
                }
            }
            requalify = _yaml.Number(YamlFileReader.Child(mql, "requalifyThreshold"), "stages.mql.requalifyThreshold");
        }

        var disqualify = _yaml.Strings(YamlFileReader.Child(map, "disqualifyReasons"), "stages.disqualifyReasons");
        var recycle = _yaml.Strings(YamlFileReader.Child(map, "recycleReasons"), "stages.recycleReasons");
        if (conversion is null || criteria is null || minimum is null || disqualify is null || recycle is null)
        {
            return null;
        }

        return new StageSettings
        {
            Conversion = conversion.Value,
            SqlCriteria = criteria,
            SqlSufficient = sufficient ?? [],
            SqlMinimum = minimum.Value,
            DisqualifyReasons = disqualify,
            RecycleReasons = recycle,
            Contactable = contactable,
            RequalifyThreshold = requalify,
            Location = _yaml.At(map),
        };
    }

    private List<LeadTypeRule> ReadLeadTypes(YamlNode? node) =>
        ReadRules(node, "leadTypes", "type", (when, type, location, path) => new LeadTypeRule { When = when, Type = type, Location = location, Path = path });

    /// <summary>A list of <c>{ when: conditions, &lt;target&gt;: name }</c> rules (routing rules, lead types).</summary>
    private List<T> ReadRules<T>(YamlNode? node, string listPath, string target, Func<List<Condition>, string, SourceLocation, string, T> create)
    {
        var rules = new List<T>();
        if (_yaml.Sequence(node, listPath) is not { } list)
        {
            return rules;
        }

        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"{listPath}[{i}]";
            if (_yaml.Mapping(list.Children[i], path) is not { } rule)
            {
                continue;
            }

            Keys(rule, path, listPath + "[]");
            if (_yaml.String(YamlFileReader.Child(rule, target), $"{path}.{target}") is { } name)
            {
                rules.Add(create(ReadConditions(YamlFileReader.Child(rule, "when"), path + ".when"), name, _yaml.At(rule), path));
            }
        }

        return rules;
    }

    private RoutingSettings? ReadRouting(YamlNode? node)
    {
        if (_yaml.Mapping(node, "routing") is not { } map)
        {
            return null;
        }

        Keys(map, "routing", "routing");
        var timeZone = _yaml.TimeZone(YamlFileReader.Child(map, "timeZone"), "routing.timeZone") ?? TimeZoneInfo.Utc;

        var queues = new Dictionary<string, QueueDefinition>(StringComparer.Ordinal);
        if (_yaml.Mapping(YamlFileReader.Child(map, "queues"), "routing.queues") is { } queueMap)
        {
            foreach (var (name, key, value) in _yaml.Entries(queueMap, "routing.queues"))
            {
                var path = YamlFileReader.Join("routing.queues", name);
                if (_yaml.Mapping(value, path) is not { } queue)
                {
                    continue;
                }

                Keys(queue, path, "routing.queues.*");
                var hoursNode = YamlFileReader.Child(queue, "hours");
                var hours = _yaml.String(hoursNode, path + ".hours");
                if (hours is not (null or "office" or "always"))
                {
                    _yaml.Error(hoursNode, path + ".hours", "must be 'office' (the SLA counts office hours, the default) or 'always' (round the clock)");
                }

                var slaNode = YamlFileReader.Child(queue, "sla");
                Sla? sla = null;
                if (slaNode is not null && _yaml.ScalarText(slaNode, path + ".sla") is { } slaText && !Sla.TryParse(slaText, out sla))
                {
                    _yaml.Error(slaNode, path + ".sla", Sla.NotADuration(slaText));
                }

                if (sla is not null)
                {
                    queues[name] = new QueueDefinition
                    {
                        Name = name,
                        Sla = sla,
                        AlwaysOpen = hours == "always",
                        Description = _yaml.String(YamlFileReader.Child(queue, "description"), path + ".description"),
                        Location = _yaml.At(key),
                    };
                }
            }
        }

        var rules = ReadRules(YamlFileReader.Child(map, "rules"), "routing.rules", "queue",
            (when, queue, location, path) => new RoutingRule { When = when, Queue = queue, Location = location, Path = path });

        return new RoutingSettings
        {
            TimeZone = timeZone,
            OfficeHours = _yaml.OfficeHours(YamlFileReader.Child(map, "officeHours"), "routing.officeHours") ?? OfficeCalendar.WeekdaysNineToFive,
            Holidays = _yaml.Dates(YamlFileReader.Child(map, "holidays"), "routing.holidays"),
            Queues = queues,
            Rules = rules,
            Location = _yaml.At(map),
        };
    }

    internal List<Condition> ReadConditions(YamlNode? node, string path)
    {
        var result = new List<Condition>();
        if (_yaml.Mapping(node, path) is not { } map)
        {
            return result;
        }

        foreach (var (field, key, value) in _yaml.Entries(map, path))
        {
            var conditionPath = YamlFileReader.Join(path, field);
            var location = _yaml.At(key);
            switch (value)
            {
                case YamlScalarNode:
                    if (_yaml.ScalarText(value, conditionPath) is { } single)
                    {
                        result.Add(new Condition { Field = field, Kind = ConditionKind.OneOf, Values = [FieldValues.Normalize(single)], Location = location });
                    }

                    break;
                case YamlSequenceNode sequence:
                    var values = new List<string>();
                    for (var i = 0; i < sequence.Children.Count; i++)
                    {
                        if (_yaml.ScalarText(sequence.Children[i], $"{conditionPath}[{i}]") is { } text)
                        {
                            values.Add(FieldValues.Normalize(text));
                        }
                    }

                    if (values.Count == 0)
                    {
                        _yaml.Error(value, conditionPath, "lists no values");
                    }

                    result.Add(new Condition { Field = field, Kind = ConditionKind.OneOf, Values = values, Location = location });
                    break;
                case YamlMappingNode test when test.Children.Count == 1 && YamlFileReader.Child(test, "atLeast") is { } atLeast:
                    if (_yaml.Number(atLeast, conditionPath + ".atLeast") is { } number)
                    {
                        result.Add(new Condition { Field = field, Kind = ConditionKind.AtLeast, AtLeast = number, Location = location });
                    }

                    break;
                case YamlMappingNode test when test.Children.Count == 1 && YamlFileReader.Child(test, "present") is { } present:
                    if (_yaml.Boolean(present, conditionPath + ".present") is { } flag)
                    {
                        result.Add(new Condition { Field = field, Kind = ConditionKind.Present, Present = flag, Location = location });
                    }

                    break;
                default:
                    _yaml.Error(value, conditionPath, "must be a value, a list of values, { atLeast: <number> } or { present: <true|false> }");
                    break;
            }
        }

        return result;
    }

    /// <summary>Checks a mapping's keys against the object the schema describes at <paramref name="schemaPath"/>.</summary>
    private void Keys(YamlMappingNode map, string path, string schemaPath)
    {
        var (allowed, required) = ScoringFormat.Object(schemaPath);
        _yaml.Keys(map, path, allowed, required);
    }
}
