using Gateway.Compliance.Tokens;
using Microsoft.AspNetCore.DataProtection;

namespace Gateway.Server.Tokens;

/// <summary>
/// <c>tokenize</c> with ASP.NET Core Data Protection: one purpose per practice
/// (<c>Gateway.Tokenize.v1</c> / practice id), so a token made for one practice cannot be read as another's.
/// Keys expire after 90 days but still decrypt; a revoked key makes <c>Unprotect</c> throw; a deleted key
/// makes its tokens unreadable forever (see SECURITY.md, key management).
/// </summary>
internal sealed class DataProtectionTokenProtector(IDataProtectionProvider provider, Durability.KeyRingGuard keyRing) : ITokenProtector
{
    public const string Purpose = "Gateway.Tokenize.v1";

    public string Protect(string practiceId, string value)
    {
        keyRing.EnsureAvailable();
        return provider.CreateProtector(Purpose, practiceId).Protect(value);
    }

    public string Unprotect(string practiceId, string token)
    {
        keyRing.EnsureAvailable();
        return provider.CreateProtector(Purpose, practiceId).Unprotect(token);
    }
}
