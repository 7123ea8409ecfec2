using System.Security.Cryptography;
using System.Text;
using Scoring.Engine.Configuration;
using Scoring.Engine.Events;
using Scoring.Engine.Practices;
using Scoring.Engine.Routing;

namespace Scoring.Engine.Scoring;

/// <summary>
/// How one practice's leads are scored and routed: its vertical's configuration with the practice's own settings
/// (locations, office hours, holidays, threshold and SLA overrides) where it has any. Resolves a lead's location from
/// its attributes (its chosen location, else the location whose service area holds its ZIP3, else the practice's
/// default; moved to the nearest location offering its service line when the chosen one does not: same service
/// area, else same time zone, else the first listed), and the threshold and SLA
/// that apply there: location, then service line, then practice, then vertical. Built once per practice.
/// </summary>
public sealed class ScoringProfile
{
    private readonly Dictionary<string, OfficeCalendar> _calendars = new(StringComparer.Ordinal);
    private readonly OfficeCalendar _practiceCalendar;

    public ScoringProfile(ScoringConfig config, PracticeSettings? practice = null)
    {
        Config = config;
        Practice = practice;
        Sha256 = practice is null
            ? config.Sha256
            : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{config.Sha256}:{practice.Sha256}")));
        var routing = config.Routing;
        _practiceCalendar = new OfficeCalendar(
            practice?.TimeZone ?? routing.TimeZone,
            practice?.OfficeHours ?? routing.OfficeHours,
            practice is null ? routing.Holidays : routing.Holidays.Union(practice.Holidays).ToHashSet());
        foreach (var location in practice?.Locations ?? [])
        {
            _calendars[location.Id] = new OfficeCalendar(
                location.TimeZone ?? _practiceCalendar.TimeZone,
                location.OfficeHours ?? _practiceCalendar.Hours,
                _practiceCalendar.Holidays.Union(location.Holidays).ToHashSet());
        }
    }

    public ScoringConfig Config { get; }

    public PracticeSettings? Practice { get; }

    /// <summary>Identifies the configuration a lead was evaluated with (the vertical's file and the practice's).</summary>
    public string Sha256 { get; }

    /// <summary>The practice location a lead with these attributes belongs to; null without practice locations.</summary>
    public PracticeLocation? LocationOf(Func<string, string?> attribute)
    {
        if (Practice is not { Locations.Count: > 0 } practice)
        {
            return null;
        }

        var zip3 = attribute(WellKnownAttributes.Zip3) is { } zip ? FieldValues.Normalize(zip) : null;
        var chosen = attribute(WellKnownAttributes.Location) is { } id ? practice.FindLocation(FieldValues.Normalize(id)) : null;
        chosen ??= zip3 is null ? null : practice.Locations.FirstOrDefault(l => l.ServiceAreaZip3.Contains(zip3, StringComparer.Ordinal));
        chosen ??= practice.DefaultLocation is { } fallback ? practice.FindLocation(fallback) : null;
        if (chosen is not null && attribute(WellKnownAttributes.ServiceLine) is { } text && FieldValues.Normalize(text) is var line && !chosen.Offers(line))
        {
            // The nearest that offers it: same service area, else same time zone (the same region), else the first.
            var offering = practice.Locations.Where(l => l.Offers(line)).ToList();
            var zone = _calendars[chosen.Id].TimeZone.Id;
            chosen = offering.FirstOrDefault(l => zip3 is not null && l.ServiceAreaZip3.Contains(zip3, StringComparer.Ordinal))
                ?? offering.FirstOrDefault(l => _calendars[l.Id].TimeZone.Id == zone)
                ?? offering.FirstOrDefault()
                ?? chosen;
        }

        return chosen;
    }

    /// <summary>The threshold for a lead with these attributes: its location's, its service line's, the practice's, or the vertical's.</summary>
    public double ThresholdFor(Func<string, string?> attribute) =>
        LocationOf(attribute)?.Threshold ?? ServiceLineOf(attribute)?.Threshold ?? Practice?.Threshold ?? Config.Threshold;

    /// <summary>What fit plus new intent must exceed after a person recycled the lead.</summary>
    public double RequalifyThresholdFor(Func<string, string?> attribute) => Config.Stages.RequalifyThreshold ?? ThresholdFor(attribute);

    /// <summary>The SLA of <paramref name="queue"/> for a lead at <paramref name="location"/> with these attributes.</summary>
    public Sla SlaFor(QueueDefinition queue, PracticeLocation? location, Func<string, string?> attribute) =>
        location?.Sla.GetValueOrDefault(queue.Name)
        ?? ServiceLineOf(attribute)?.Sla.GetValueOrDefault(queue.Name)
        ?? Practice?.Sla.GetValueOrDefault(queue.Name)
        ?? queue.Sla;

    /// <summary>The calendar a queue's SLA counts in at a location (round the clock for <c>hours: always</c> queues).</summary>
    public OfficeCalendar CalendarFor(QueueDefinition queue, PracticeLocation? location)
    {
        var calendar = location is not null && _calendars.TryGetValue(location.Id, out var own) ? own : _practiceCalendar;
        return queue.AlwaysOpen ? OfficeCalendar.AlwaysOpen(calendar.TimeZone) : calendar;
    }

    private ServiceLineSettings? ServiceLineOf(Func<string, string?> attribute) =>
        Practice is { ServiceLines.Count: > 0 } practice && attribute(WellKnownAttributes.ServiceLine) is { } line
            ? practice.ServiceLines.GetValueOrDefault(FieldValues.Normalize(line))
            : null;
}
