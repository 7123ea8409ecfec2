using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Gateway.Server.ComplianceConsole;

/// <summary>
/// After a look-up by patient identifier, the page keeps only an encrypted, short-lived token of the
/// person's pseudonyms (never the identifier), so that the CSV export, the printable page and a recorded
/// revocation need not send the identifier again. The token is opaque to the browser and expires.
/// </summary>
internal sealed class ConsoleSubjectTokens(IDataProtectionProvider protection, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("Gateway.Console.Subject").ToTimeLimitedDataProtector();

    public string Protect(ConsoleSubject subject) =>
        _protector.Protect(JsonSerializer.Serialize(subject), time.GetUtcNow() + Lifetime);

    /// <summary>The subject, or null when the token is missing, altered, for another practice, or expired.</summary>
    public ConsoleSubject? Unprotect(string? token, string practice)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            var subject = JsonSerializer.Deserialize<ConsoleSubject>(_protector.Unprotect(token, out var expires));
            return subject is not null && subject.Practice == practice && expires > time.GetUtcNow() ? subject : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}

/// <summary>A person as the console knows them: the practice and their pseudonyms under its key ring; <see cref="Active"/> is the one new records use.</summary>
internal sealed record ConsoleSubject(string Practice, string Active, IReadOnlyList<string> Candidates, DateTimeOffset? From, DateTimeOffset? To);
