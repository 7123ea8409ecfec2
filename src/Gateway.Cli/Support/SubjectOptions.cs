using System.CommandLine;
using Gateway.Compliance.Pseudonyms;

namespace Gateway.Cli.Support;

/// <summary>
/// Selects one person by a raw identifier and turns it, locally, into the pseudonyms their events carry
/// (every key of the practice's ring). The identifier is held only in memory: never printed, logged or
/// written. <c>--identifier-stdin</c> keeps it out of shell history and process listings.
/// </summary>
internal sealed class SubjectOptions
{
    public Option<string?> Email { get; } = new("--email") { Description = "The person's email (finds events where the practice uses it as the user id)." };

    public Option<string?> Phone { get; } = new("--phone") { Description = "The person's phone (finds events where the practice uses it as the user id)." };

    public Option<string?> UserId { get; } = new("--user-id") { Description = "The person's userId as the practice's site or app sends it." };

    public Option<string?> AnonymousId { get; } = new("--anonymous-id") { Description = "An anonymousId (device or browser id)." };

    public Option<string?> IdentifierStdin { get; } = new("--identifier-stdin")
    {
        Description = "Read the identifier from standard input (first line); the value names its kind: email, phone, user-id, anonymous-id.",
    };

    public Option<string?> Config { get; } = new("--config")
    {
        Description = "The gateway's appsettings JSON (Gateway:Practices) or a practice keys file, with the practice's pseudonym keys (retired ones too).",
    };

    public SubjectOptions()
    {
        IdentifierStdin.AcceptOnlyFromAmong("email", "phone", "user-id", "anonymous-id");
    }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Email, Phone, UserId, AnonymousId, IdentifierStdin, Config })
        {
            command.Add(option);
        }
    }

    public bool IsGiven(ParseResult parse) =>
        parse.GetValue(Email) is not null || parse.GetValue(Phone) is not null || parse.GetValue(UserId) is not null
        || parse.GetValue(AnonymousId) is not null || parse.GetValue(IdentifierStdin) is not null;

    /// <summary>The candidate subject pseudonyms for the identifier given, computed with the practice's keys.</summary>
    public HashSet<string> Pseudonyms(ParseResult parse, string practiceId, TextReader stdin)
    {
        var given = new List<(SubjectIdentifierKind Kind, string? Value)>
        {
            (SubjectIdentifierKind.Email, parse.GetValue(Email)),
            (SubjectIdentifierKind.Phone, parse.GetValue(Phone)),
            (SubjectIdentifierKind.UserId, parse.GetValue(UserId)),
            (SubjectIdentifierKind.AnonymousId, parse.GetValue(AnonymousId)),
        }.Where(g => g.Value is not null).ToList();
        if (parse.GetValue(IdentifierStdin) is { } kind)
        {
            var line = stdin.ReadLine();
            if (string.IsNullOrWhiteSpace(line))
            {
                throw new UsageException("--identifier-stdin: standard input held no identifier.");
            }

            given.Add((kind switch
            {
                "email" => SubjectIdentifierKind.Email,
                "phone" => SubjectIdentifierKind.Phone,
                "user-id" => SubjectIdentifierKind.UserId,
                _ => SubjectIdentifierKind.AnonymousId,
            }, line));
        }

        if (given.Count != 1)
        {
            throw new UsageException("Give exactly one identifier: --email, --phone, --user-id, --anonymous-id or --identifier-stdin.");
        }

        if (string.IsNullOrWhiteSpace(given[0].Value))
        {
            throw new UsageException("The identifier is empty.");
        }

        var config = parse.GetValue(Config) ?? throw new UsageException("--config is required to compute pseudonyms: the gateway's configuration or a practice keys file.");
        using var ring = PracticeKeys.Load(config, practiceId);
        return [.. SubjectPseudonyms.Candidates(ring, given[0].Kind, given[0].Value)];
    }
}
