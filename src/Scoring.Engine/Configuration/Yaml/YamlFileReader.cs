using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Scoring.Engine.Configuration.Yaml;

/// <summary>
/// Typed access to a YAML document that records every structural problem (wrong type, unknown or missing key)
/// with line, column and path, instead of stopping at the first. Numbers and booleans must be plain scalars.
/// </summary>
internal sealed class YamlFileReader
{
    private readonly string _file;
    private readonly List<ScoringConfigError> _errors = [];

    public YamlFileReader(string file)
    {
        _file = file;
    }

    public IReadOnlyList<ScoringConfigError> Errors => _errors;

    public YamlMappingNode? ReadRoot(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            _errors.Add(new ScoringConfigError(new SourceLocation(_file, (int)ex.Start.Line, (int)ex.Start.Column), string.Empty, "invalid YAML: " + FirstLine(ex.Message)));
            return null;
        }

        if (stream.Documents.Count != 1)
        {
            Error(null, string.Empty, "a scoring file holds exactly one YAML document");
            return null;
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            Error(stream.Documents[0].RootNode, string.Empty, "the scoring file must be a YAML mapping");
            return null;
        }

        return root;
    }

    public SourceLocation At(YamlNode? node) =>
        node is null ? new SourceLocation(_file, 0, 0) : new SourceLocation(_file, (int)node.Start.Line, (int)node.Start.Column);

    public void Error(YamlNode? node, string path, string message) => _errors.Add(new ScoringConfigError(At(node), path, message));

    public static string Join(string path, string key) => path.Length == 0 ? ConfigPaths.Key(key) : $"{path}.{ConfigPaths.Key(key)}";

    /// <summary>Checks a mapping's keys: each is allowed, each required one is present.</summary>
    public void Keys(YamlMappingNode map, string path, IReadOnlyCollection<string> allowed, IReadOnlyCollection<string> required)
    {
        foreach (var key in map.Children.Keys)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                Error(key, path, "keys must be plain strings");
            }
            else if (!allowed.Contains(name))
            {
                Error(key, Join(path, name), $"unknown key (allowed: {string.Join(", ", allowed)})");
            }
        }

        foreach (var name in required)
        {
            if (Child(map, name) is null)
            {
                Error(map, path, $"'{name}' is required");
            }
        }
    }

    public static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    /// <summary>The mapping's entries with string keys, in file order.</summary>
    public IEnumerable<(string Key, YamlNode KeyNode, YamlNode Value)> Entries(YamlMappingNode map, string path)
    {
        foreach (var (key, value) in map.Children)
        {
            if (key is YamlScalarNode { Value: { } name })
            {
                yield return (name, key, value);
            }
            else
            {
                Error(key, path, "keys must be plain strings");
            }
        }
    }

    public YamlMappingNode? Mapping(YamlNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        if (node is YamlMappingNode map)
        {
            return map;
        }

        Error(node, path, "must be a mapping");
        return null;
    }

    public YamlSequenceNode? Sequence(YamlNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        if (node is YamlSequenceNode sequence)
        {
            return sequence;
        }

        Error(node, path, "must be a list");
        return null;
    }

    public string? String(YamlNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        if (node is YamlScalarNode { Value: { Length: > 0 } value } && !IsNull(node))
        {
            return value;
        }

        Error(node, path, "must be a non-empty string");
        return null;
    }

    public double? Number(YamlNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        if (node is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text }
            && text.Any(char.IsAsciiDigit)
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && double.IsFinite(value))
        {
            return value;
        }

        Error(node, path, "must be a number");
        return null;
    }

    public int? Integer(YamlNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        if (node is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text }
            && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Error(node, path, "must be a whole number");
        return null;
    }

    public bool? Boolean(YamlNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        if (node is YamlScalarNode { Style: ScalarStyle.Plain, Value: "true" or "false" } scalar)
        {
            return scalar.Value == "true";
        }

        Error(node, path, "must be true or false");
        return null;
    }

    /// <summary>A list of non-empty strings.</summary>
    public List<string>? Strings(YamlNode? node, string path)
    {
        if (Sequence(node, path) is not { } sequence)
        {
            return null;
        }

        var values = new List<string>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            if (String(sequence.Children[i], $"{path}[{i}]") is { } value)
            {
                values.Add(value);
            }
        }

        return values;
    }

    /// <summary>An IANA time zone id.</summary>
    public TimeZoneInfo? TimeZone(YamlNode? node, string path)
    {
        if (String(node, path) is not { } id)
        {
            return null;
        }

        if (TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
        {
            return zone;
        }

        Error(node, path, $"unknown time zone '{id}' (use an IANA id such as America/New_York)");
        return null;
    }

    /// <summary>Opening hours: <c>{ mon-fri: "08:00-17:00", sat: closed }</c>; null when absent or invalid.</summary>
    public Dictionary<DayOfWeek, Routing.OpeningHours>? OfficeHours(YamlNode? node, string path)
    {
        if (Mapping(node, path) is not { } map)
        {
            return null;
        }

        var entries = new List<(string, string)>();
        foreach (var (days, _, value) in Entries(map, path))
        {
            if (String(value, Join(path, days)) is { } range)
            {
                entries.Add((days, range));
            }
        }

        if (!Routing.OfficeCalendar.TryParseHours(entries, out var hours, out var problem))
        {
            Error(node, path, problem!);
            return null;
        }

        if (hours.Count == 0)
        {
            Error(node, path, "opens on no day");
            return null;
        }

        return hours;
    }

    /// <summary>A list of dates written as YYYY-MM-DD.</summary>
    public HashSet<DateOnly> Dates(YamlNode? node, string path)
    {
        var dates = new HashSet<DateOnly>();
        if (Sequence(node, path) is not { } list)
        {
            return dates;
        }

        for (var i = 0; i < list.Children.Count; i++)
        {
            if (String(list.Children[i], $"{path}[{i}]") is { } text)
            {
                if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    dates.Add(date);
                }
                else
                {
                    Error(list.Children[i], $"{path}[{i}]", $"'{text}' is not a date written as YYYY-MM-DD");
                }
            }
        }

        return dates;
    }

    /// <summary>A scalar's text for comparison with event values (numbers and booleans as written).</summary>
    public string? ScalarText(YamlNode node, string path)
    {
        if (node is YamlScalarNode { Value: { Length: > 0 } value } && !IsNull(node))
        {
            return value;
        }

        Error(node, path, "must be a string, number or boolean");
        return null;
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: "~" or "null" or "Null" or "NULL" };

    private static string FirstLine(string message)
    {
        var index = message.IndexOf('\n', StringComparison.Ordinal);
        return index < 0 ? message : message[..index];
    }
}
