using System.Globalization;
using Gateway.Compliance.Practices;
using Gateway.Compliance.Pseudonyms;

namespace Gateway.Server.ComplianceConsole;

/// <summary>
/// Turns what an officer typed (an identifier and its kind) into the practice's pseudonyms, for this request
/// only: the identifier is not kept in any field, log or page. Same rules as <c>gatewayctl --email/--phone/
/// --user-id/--anonymous-id</c> (<see cref="SubjectPseudonyms"/>).
/// </summary>
internal static class ConsoleSubjects
{
    public static readonly IReadOnlyList<(string Value, string Label)> Kinds =
    [
        ("email", "Email"), ("phone", "Phone"), ("user-id", "User id"), ("anonymous-id", "Anonymous id (device or browser)"),
    ];

    public static ConsoleSubject? From(PracticeContext practice, string? kind, string? identifier, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        if (string.IsNullOrWhiteSpace(identifier) || identifier.Length > 320)
        {
            return null;
        }

        SubjectIdentifierKind? parsed = kind switch
        {
            "email" => SubjectIdentifierKind.Email,
            "phone" => SubjectIdentifierKind.Phone,
            "user-id" => SubjectIdentifierKind.UserId,
            "anonymous-id" => SubjectIdentifierKind.AnonymousId,
            _ => null,
        };
        if (parsed is not { } k)
        {
            return null;
        }

        var candidates = SubjectPseudonyms.Candidates(practice.Keys, k, identifier.Trim());
        var active = Pseudonymizer.Pseudonymize(practice.Keys.Active, identifier.Trim(), IdentifierNormalization.Exact);
        return new ConsoleSubject(practice.Id, active, candidates, from, to);
    }

    /// <summary>A date field (yyyy-MM-dd) as the start of that day, UTC; null when empty or not a date.</summary>
    public static DateTimeOffset? Day(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
            : null;
}
