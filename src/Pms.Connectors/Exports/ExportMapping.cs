using System.Reflection;
using System.Text.Json;

namespace Pms.Connectors.Exports;

/// <summary>
/// How one vendor export's columns map to the fields connectors need (<c>pms/mappings/*.json</c>): column names per
/// field, which fields every row needs, the date and time formats, and value maps (status words, recall types,
/// service lines, locations). A practice whose export differs copies the file and edits it.
/// </summary>
public sealed record ExportMapping
{
    /// <summary>Fields a mapping may name.</summary>
    public static readonly IReadOnlySet<string> KnownFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "patient_id", "appointment_id", "first_name", "last_name", "email", "phone", "birth_date", "zip", "recall_type", "due_date",
        "last_visit", "scheduled_date", "location", "insurance_status", "appointment_date", "appointment_time", "status", "service", "new_patient",
    };

    public required string Name { get; init; }

    /// <summary>The policy's <c>source_system</c>: dentrix, eaglesoft (or open_dental for a report export).</summary>
    public required string System { get; init; }

    /// <summary><c>recall</c> or <c>appointments</c>.</summary>
    public required string Export { get; init; }

    public required IReadOnlyDictionary<string, string> Columns { get; init; }

    public required IReadOnlyList<string> Required { get; init; }

    public required IReadOnlyList<string> DateFormats { get; init; }

    public IReadOnlyList<string> TimeFormats { get; init; } = ["HH:mm"];

    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Values { get; init; } = new Dictionary<string, IReadOnlyDictionary<string, string>>();

    public bool IsRecall => Export == "recall";

    /// <summary>The mappings shipped in the repository (embedded), by name (<c>dentrix-recall</c>).</summary>
    public static IReadOnlyList<ExportMapping> Shipped()
    {
        var assembly = typeof(ExportMapping).Assembly;
        return [.. assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("mappings/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => Parse(Path.GetFileNameWithoutExtension(n), Read(assembly, n)))];
    }

    public static ExportMapping Load(string path) => Parse(Path.GetFileNameWithoutExtension(path), File.ReadAllText(path));

    /// <summary>Parses and checks a mapping; every problem is reported at once.</summary>
    public static ExportMapping Parse(string name, string json)
    {
        var problems = new List<string>();
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        string Text(string member)
        {
            if (root.TryGetProperty(member, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
            {
                return text;
            }

            problems.Add($"'{member}' must be a non-empty string");
            return string.Empty;
        }

        var system = Text("system");
        var export = Text("export");
        if (export is not ("recall" or "appointments" or ""))
        {
            problems.Add("'export' must be 'recall' or 'appointments'");
        }

        var columns = Map(root, "columns", problems);
        foreach (var field in columns.Keys.Where(f => !KnownFields.Contains(f)))
        {
            problems.Add($"columns: unknown field '{field}'");
        }

        var required = List(root, "required");
        var must = export == "recall" ? new[] { "patient_id", "recall_type", "due_date" } : ["patient_id", "appointment_date", "status"];
        foreach (var field in must.Where(f => !required.Contains(f, StringComparer.Ordinal)))
        {
            problems.Add($"required: a {export} export needs '{field}'");
        }

        foreach (var field in required.Where(f => !columns.ContainsKey(f)))
        {
            problems.Add($"required: '{field}' has no column");
        }

        var dateFormats = List(root, "dateFormats");
        if (dateFormats.Count == 0)
        {
            problems.Add("'dateFormats' must list at least one format");
        }

        var values = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        if (root.TryGetProperty("values", out var valueMaps) && valueMaps.ValueKind == JsonValueKind.Object)
        {
            foreach (var map in valueMaps.EnumerateObject())
            {
                values[map.Name] = Map(valueMaps, map.Name, problems, StringComparer.OrdinalIgnoreCase);
            }
        }

        if (problems.Count > 0)
        {
            throw new ConnectorConfigurationException([.. problems.Select(p => $"mapping '{name}': {p}")]);
        }

        return new ExportMapping
        {
            Name = name,
            System = system,
            Export = export,
            Columns = columns,
            Required = required,
            DateFormats = dateFormats,
            TimeFormats = List(root, "timeFormats") is { Count: > 0 } times ? times : ["HH:mm"],
            Values = values,
        };
    }

    private static Dictionary<string, string> Map(JsonElement parent, string member, List<string> problems, StringComparer? comparer = null)
    {
        var map = new Dictionary<string, string>(comparer ?? StringComparer.Ordinal);
        if (!parent.TryGetProperty(member, out var value) || value.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"'{member}' must be an object");
            return map;
        }

        foreach (var entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                problems.Add($"{member}.{entry.Name} must be a string");
                continue;
            }

            map[entry.Name] = entry.Value.GetString()!;
        }

        return map;
    }

    private static List<string> List(JsonElement parent, string member) =>
        parent.TryGetProperty(member, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)]
            : [];

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
