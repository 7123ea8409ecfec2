using Pms.Connectors.Events;

namespace Pms.Connectors.Exports;

/// <summary>How exports are imported: which mappings apply, where files go afterwards, and how patients are identified.</summary>
public sealed record ImportOptions
{
    /// <summary>Candidate mappings; the first whose required columns are all in a file's header is used.</summary>
    public required IReadOnlyList<ExportMapping> Mappings { get; init; }

    /// <summary>Where fully read files go (default: <c>processed</c> next to the file).</summary>
    public string? ProcessedDirectory { get; init; }

    /// <summary>Where files that cannot be read go (default: <c>failed</c> next to the file).</summary>
    public string? FailedDirectory { get; init; }

    public PatientIdentity Identity { get; init; } = PatientIdentity.Email;

    /// <summary>The export's location names → the practice's location ids (added to each mapping's <c>values.location</c>).</summary>
    public IReadOnlyDictionary<string, string> Locations { get; init; } = new Dictionary<string, string>();
}
