namespace Gateway.Compliance.Tokens;

/// <summary>
/// Reversible tokenization for the <c>tokenize</c> action. The gateway implements it with ASP.NET Core
/// Data Protection and a purpose string per practice, so a token made for one practice cannot be
/// unprotected as another's. Kept as an interface so this library stays free of ASP.NET Core.
/// </summary>
public interface ITokenProtector
{
    /// <summary>Protects <paramref name="value"/> for <paramref name="practiceId"/>. Throws when no key is usable (fail closed).</summary>
    string Protect(string practiceId, string value);

    /// <summary>Reverses <see cref="Protect"/>. Throws for a token of another practice, a revoked or a deleted key.</summary>
    string Unprotect(string practiceId, string token);
}
