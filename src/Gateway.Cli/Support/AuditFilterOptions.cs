using System.CommandLine;
using Gateway.Compliance.Audit;

namespace Gateway.Cli.Support;

/// <summary>The filters audit search, stats and export share; each becomes a criterion of an <see cref="AuditQuery"/>.</summary>
internal sealed class AuditFilterOptions
{
    public Option<string?> From { get; } = new("--from") { Description = "Records at or after this date or time (UTC unless an offset is given)." };

    public Option<string?> To { get; } = new("--to") { Description = "Records before this time; a date alone includes that day." };

    public Option<string[]> Practice { get; } = new("--practice") { Description = "Practice id (repeatable)." };

    public Option<string[]> EventType { get; } = new("--event-type") { Description = "Event type as audited: identify, page, 'track:Appointment Requested' (repeatable)." };

    public Option<string[]> Outcome { get; } = new("--outcome") { Description = "forward, dropped, rejected (events); delivered, failed (deliveries) (repeatable)." };

    public Option<string[]> Destination { get; } = new("--destination") { Description = "Destination name (repeatable)." };

    public Option<string[]> PolicyVersion { get; } = new("--policy-version") { Description = "Policy version as audited (repeatable)." };

    public Option<string[]> Kind { get; } = new("--kind") { Description = "Record kind: event, delivery, auth-failure, admin, system (repeatable)." };

    public Option<string[]> Instance { get; } = new("--instance") { Description = "Gateway instance id (repeatable)." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { From, To, Practice, EventType, Outcome, Destination, PolicyVersion, Kind, Instance })
        {
            command.Add(option);
        }
    }

    public AuditQuery ToQuery(ParseResult parse, IReadOnlySet<string>? subjects = null)
    {
        var from = TimeArguments.From(parse.GetValue(From));
        var to = TimeArguments.To(parse.GetValue(To));
        if (from is { } f && to is { } t && f >= t)
        {
            throw new UsageException("--from must be before --to.");
        }

        return new AuditQuery
        {
            From = from,
            To = to,
            Practices = Set(parse.GetValue(Practice)),
            EventTypes = Set(parse.GetValue(EventType)),
            Outcomes = Set(parse.GetValue(Outcome)),
            Destinations = Set(parse.GetValue(Destination)),
            PolicyVersions = Set(parse.GetValue(PolicyVersion)),
            Kinds = Set(parse.GetValue(Kind)),
            Instances = Set(parse.GetValue(Instance)),
            Subjects = subjects,
        };
    }

    private static HashSet<string>? Set(string[]? values) => values is { Length: > 0 } ? new HashSet<string>(values, StringComparer.Ordinal) : null;
}
