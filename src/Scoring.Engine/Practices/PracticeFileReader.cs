using Scoring.Engine.Configuration;
using Scoring.Engine.Configuration.Yaml;
using Scoring.Engine.Events;
using Scoring.Engine.Routing;
using YamlDotNet.RepresentationModel;

namespace Scoring.Engine.Practices;

/// <summary>
/// Maps a practice file to <see cref="PracticeSettings"/>, checking its structure (the structure
/// <c>policies/practice.schema.json</c> describes for editors). Returns null on any structural error; meaning is
/// checked by <see cref="PracticeValidation"/> against the vertical's scoring file.
/// </summary>
internal sealed class PracticeFileReader
{
    private static readonly string[] s_rootKeys = ["practice", "name", "description", "timeZone", "officeHours", "holidays", "threshold", "sla", "defaultLocation", "serviceLines", "locations"];
    private static readonly string[] s_locationKeys = ["name", "timeZone", "officeHours", "holidays", "serviceLines", "serviceAreaZip3", "threshold", "sla"];

    private readonly YamlFileReader _yaml;

    public PracticeFileReader(string file)
    {
        _yaml = new YamlFileReader(file);
    }

    public IReadOnlyList<ScoringConfigError> Errors => _yaml.Errors;

    public PracticeSettings? Read(string text, string sha256)
    {
        if (_yaml.ReadRoot(text) is not { } root)
        {
            return null;
        }

        _yaml.Keys(root, string.Empty, s_rootKeys, ["practice"]);
        var id = _yaml.String(YamlFileReader.Child(root, "practice"), "practice");
        _yaml.String(YamlFileReader.Child(root, "description"), "description");
        var serviceLines = new Dictionary<string, ServiceLineSettings>(StringComparer.Ordinal);
        if (_yaml.Mapping(YamlFileReader.Child(root, "serviceLines"), "serviceLines") is { } lines)
        {
            foreach (var (name, key, value) in _yaml.Entries(lines, "serviceLines"))
            {
                var path = YamlFileReader.Join("serviceLines", name);
                if (_yaml.Mapping(value, path) is { } line)
                {
                    _yaml.Keys(line, path, ["threshold", "sla"], []);
                    serviceLines[FieldValues.Normalize(name)] = new ServiceLineSettings
                    {
                        Name = FieldValues.Normalize(name),
                        Threshold = _yaml.Number(YamlFileReader.Child(line, "threshold"), path + ".threshold"),
                        Sla = Slas(YamlFileReader.Child(line, "sla"), path + ".sla"),
                        Location = _yaml.At(key),
                    };
                }
            }
        }

        var locations = new List<PracticeLocation>();
        if (_yaml.Mapping(YamlFileReader.Child(root, "locations"), "locations") is { } map)
        {
            foreach (var (name, key, value) in _yaml.Entries(map, "locations"))
            {
                var path = YamlFileReader.Join("locations", name);
                if (_yaml.Mapping(value, path) is not { } location)
                {
                    continue;
                }

                _yaml.Keys(location, path, s_locationKeys, []);
                locations.Add(new PracticeLocation
                {
                    Id = name,
                    Name = _yaml.String(YamlFileReader.Child(location, "name"), path + ".name"),
                    TimeZone = _yaml.TimeZone(YamlFileReader.Child(location, "timeZone"), path + ".timeZone"),
                    OfficeHours = _yaml.OfficeHours(YamlFileReader.Child(location, "officeHours"), path + ".officeHours"),
                    Holidays = _yaml.Dates(YamlFileReader.Child(location, "holidays"), path + ".holidays"),
                    ServiceLines = [.. (_yaml.Strings(YamlFileReader.Child(location, "serviceLines"), path + ".serviceLines") ?? []).Select(FieldValues.Normalize)],
                    ServiceAreaZip3 = _yaml.Strings(YamlFileReader.Child(location, "serviceAreaZip3"), path + ".serviceAreaZip3") ?? [],
                    Threshold = _yaml.Number(YamlFileReader.Child(location, "threshold"), path + ".threshold"),
                    Sla = Slas(YamlFileReader.Child(location, "sla"), path + ".sla"),
                    Location = _yaml.At(key),
                });
            }
        }

        var settings = new PracticeSettings
        {
            Id = id ?? string.Empty,
            Name = _yaml.String(YamlFileReader.Child(root, "name"), "name"),
            TimeZone = _yaml.TimeZone(YamlFileReader.Child(root, "timeZone"), "timeZone"),
            OfficeHours = _yaml.OfficeHours(YamlFileReader.Child(root, "officeHours"), "officeHours"),
            Holidays = _yaml.Dates(YamlFileReader.Child(root, "holidays"), "holidays"),
            Threshold = _yaml.Number(YamlFileReader.Child(root, "threshold"), "threshold"),
            Sla = Slas(YamlFileReader.Child(root, "sla"), "sla"),
            DefaultLocation = _yaml.String(YamlFileReader.Child(root, "defaultLocation"), "defaultLocation"),
            ServiceLines = serviceLines,
            Locations = locations,
            Sha256 = sha256,
            Location = _yaml.At(root),
        };
        return _yaml.Errors.Count > 0 || id is null ? null : settings;
    }

    private Dictionary<string, Sla> Slas(YamlNode? node, string path)
    {
        var result = new Dictionary<string, Sla>(StringComparer.Ordinal);
        if (_yaml.Mapping(node, path) is not { } map)
        {
            return result;
        }

        foreach (var (queue, _, value) in _yaml.Entries(map, path))
        {
            var slaPath = YamlFileReader.Join(path, queue);
            if (_yaml.ScalarText(value, slaPath) is { } text)
            {
                if (Sla.TryParse(text, out var sla))
                {
                    result[queue] = sla!;
                }
                else
                {
                    _yaml.Error(value, slaPath, Sla.NotADuration(text));
                }
            }
        }

        return result;
    }
}
