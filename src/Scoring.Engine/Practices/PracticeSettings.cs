using Scoring.Engine.Configuration;
using Scoring.Engine.Routing;

namespace Scoring.Engine.Practices;

/// <summary>
/// One practice's scoring settings (<c>policies/&lt;vertical&gt;/practices/&lt;practice&gt;.yaml</c>): its locations
/// with their time zones, office hours, holidays, service lines and service areas, and where it departs from the
/// vertical's threshold and SLAs (practice-wide, per service line, per location). Anything not set is the vertical's.
/// </summary>
public sealed record PracticeSettings
{
    /// <summary>The file's folder inside a vertical's folder.</summary>
    public const string Folder = "practices";

    /// <summary>The practice id the gateway sends in each batch; equals the file's name.</summary>
    public required string Id { get; init; }

    public string? Name { get; init; }

    /// <summary>The practice-wide time zone, office hours and holidays (locations inherit what they do not set).</summary>
    public TimeZoneInfo? TimeZone { get; init; }

    public IReadOnlyDictionary<DayOfWeek, OpeningHours>? OfficeHours { get; init; }

    public IReadOnlySet<DateOnly> Holidays { get; init; } = new HashSet<DateOnly>();

    public double? Threshold { get; init; }

    /// <summary>SLA overrides by queue name.</summary>
    public IReadOnlyDictionary<string, Sla> Sla { get; init; } = new Dictionary<string, Sla>();

    /// <summary>Where leads with no known location and no service-area match go; null: the practice-wide queues.</summary>
    public string? DefaultLocation { get; init; }

    /// <summary>Threshold and SLA overrides by (normalized) service line.</summary>
    public IReadOnlyDictionary<string, ServiceLineSettings> ServiceLines { get; init; } = new Dictionary<string, ServiceLineSettings>();

    /// <summary>The locations in file order (the first match wins where service areas overlap).</summary>
    public IReadOnlyList<PracticeLocation> Locations { get; init; } = [];

    /// <summary>SHA-256 of the file's bytes: part of the identity of the configuration a lead was scored with.</summary>
    public required string Sha256 { get; init; }

    public SourceLocation Location { get; init; } = SourceLocation.Unknown;

    public PracticeLocation? FindLocation(string id) => Locations.FirstOrDefault(l => l.Id == id);
}

/// <summary>One location (office) of a practice. Unset time zone, hours and threshold are the practice's, then the vertical's.</summary>
public sealed record PracticeLocation
{
    public required string Id { get; init; }

    public string? Name { get; init; }

    public TimeZoneInfo? TimeZone { get; init; }

    public IReadOnlyDictionary<DayOfWeek, OpeningHours>? OfficeHours { get; init; }

    /// <summary>The location's own holidays, in addition to the practice's.</summary>
    public IReadOnlySet<DateOnly> Holidays { get; init; } = new HashSet<DateOnly>();

    /// <summary>Service lines offered here (normalized); empty: every service line.</summary>
    public IReadOnlyList<string> ServiceLines { get; init; } = [];

    /// <summary>The 3-digit ZIP prefixes this location serves: a lead there without a chosen location comes here.</summary>
    public IReadOnlyList<string> ServiceAreaZip3 { get; init; } = [];

    public double? Threshold { get; init; }

    public IReadOnlyDictionary<string, Sla> Sla { get; init; } = new Dictionary<string, Sla>();

    public SourceLocation Location { get; init; } = SourceLocation.Unknown;

    public bool Offers(string serviceLine) => ServiceLines.Count == 0 || ServiceLines.Contains(serviceLine, StringComparer.Ordinal);
}

/// <summary>A practice's threshold and SLA overrides for one service line (e.g. a higher bar for implants).</summary>
public sealed record ServiceLineSettings
{
    public required string Name { get; init; }

    public double? Threshold { get; init; }

    public IReadOnlyDictionary<string, Sla> Sla { get; init; } = new Dictionary<string, Sla>();

    public SourceLocation Location { get; init; } = SourceLocation.Unknown;
}
