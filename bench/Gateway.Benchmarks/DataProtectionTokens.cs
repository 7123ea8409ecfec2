using Gateway.Compliance.Tokens;
using Microsoft.AspNetCore.DataProtection;

namespace Gateway.Benchmarks;

/// <summary>
/// <c>tokenize</c> through ASP.NET Core Data Protection with an in-memory key, as the gateway does (one
/// purpose per practice), so the benchmark measures the real authenticated encryption cost.
/// </summary>
internal sealed class DataProtectionTokens : ITokenProtector
{
    private const string Purpose = "Gateway.Tokenize.v1";

    private readonly IDataProtectionProvider _provider = new EphemeralDataProtectionProvider();

    public string Protect(string practiceId, string value) => _provider.CreateProtector(Purpose, practiceId).Protect(value);

    public string Unprotect(string practiceId, string token) => _provider.CreateProtector(Purpose, practiceId).Unprotect(token);
}
