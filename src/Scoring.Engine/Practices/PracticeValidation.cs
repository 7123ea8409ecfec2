using System.Globalization;
using Scoring.Engine.Configuration;
using Scoring.Engine.Configuration.Validation;

namespace Scoring.Engine.Practices;

/// <summary>
/// Checks a practice file against its vertical: the id is the file's name, SLA overrides name the vertical's queues,
/// thresholds stay above the best possible fit (qualifying still needs engagement), service lines and locations are
/// values the policy can forward, ZIP3s are three digits, and the default location is declared.
/// </summary>
internal static class PracticeValidation
{
    public static void Validate(PracticeSettings practice, string fileId, ScoringValidationContext context)
    {
        var file = practice.Location.File;
        SourceLocation At(SourceLocation location) => location with { File = file };
        void Error(SourceLocation location, string path, string message) => context.AddError(At(location), path, message);

        if (practice.Id != fileId)
        {
            Error(practice.Location, "practice", $"the file is for practice '{practice.Id}' but is named '{fileId}.yaml'");
        }
        else if (!ScoringValidationContext.IsCode(practice.Id))
        {
            Error(practice.Location, "practice", "practice ids use lower-case letters, digits, '_' and '-'");
        }

        Threshold(practice.Threshold, practice.Location, "threshold");
        Slas(practice.Sla, practice.Location, "sla");
        var serviceLines = context.Config.Attribute(WellKnownAttributes.ServiceLine) is { } attribute ? context.Events.Attribute(attribute) : null;
        foreach (var line in practice.ServiceLines.Values)
        {
            var path = $"serviceLines.{ConfigPaths.Key(line.Name)}";
            ServiceLine(line.Name, line.Location, path);
            Threshold(line.Threshold, line.Location, path + ".threshold");
            Slas(line.Sla, line.Location, path + ".sla");
        }

        var locations = new HashSet<string>(StringComparer.Ordinal);
        foreach (var location in practice.Locations)
        {
            var path = $"locations.{ConfigPaths.Key(location.Id)}";
            if (!ScoringValidationContext.IsCode(location.Id))
            {
                Error(location.Location, path, "location ids use lower-case letters, digits, '_' and '-' (as events send them in location_id)");
            }

            locations.Add(location.Id);
            Threshold(location.Threshold, location.Location, path + ".threshold");
            Slas(location.Sla, location.Location, path + ".sla");
            foreach (var line in location.ServiceLines)
            {
                ServiceLine(line, location.Location, path + ".serviceLines");
            }

            foreach (var zip3 in location.ServiceAreaZip3.Where(z => z.Length != 3 || !z.All(char.IsAsciiDigit)))
            {
                Error(location.Location, path + ".serviceAreaZip3", $"'{zip3}' is not a 3-digit ZIP prefix (quote it: \"021\")");
            }
        }

        if (practice.DefaultLocation is { } fallback && !locations.Contains(fallback))
        {
            Error(practice.Location, "defaultLocation", $"'{fallback}' is not one of the practice's locations");
        }

        void Threshold(double? threshold, SourceLocation location, string path)
        {
            if (threshold is not { } value)
            {
                return;
            }

            if (value is <= 0 or > 1000)
            {
                Error(location, path, "must be more than 0 and at most 1000");
            }
            else if (context.Config.MaxFit >= value)
            {
                Error(location, path, $"the best possible fit ({F(context.Config.MaxFit)}) reaches it: qualifying must need engagement");
            }
        }

        void Slas(IReadOnlyDictionary<string, Routing.Sla> slas, SourceLocation location, string path)
        {
            foreach (var queue in slas.Keys.Where(q => !context.Config.Routing.Queues.ContainsKey(q)))
            {
                Error(location, $"{path}.{ConfigPaths.Key(queue)}",
                    $"'{queue}' is not a queue of vertical '{context.Config.Vertical}' (known: {string.Join(", ", context.Config.Routing.Queues.Keys)})");
            }
        }

        void ServiceLine(string line, SourceLocation location, string path)
        {
            if (serviceLines is { } forwarded && !ForwardedConditions.CanBe(forwarded, line))
            {
                Error(location, path, $"can never be '{line}': service lines {ForwardedConditions.Forwards(forwarded)}");
            }
        }
    }

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
