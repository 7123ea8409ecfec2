using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Scoring.Service.Options;

/// <summary>Checks <see cref="ApiOptions"/> at start; the leads API is never open.</summary>
internal sealed partial class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    public const string KeysRequired = "Api:Keys must name at least one API key: Api:Keys:<name> = the lower-case hex SHA-256 of the key.";

    public static string KeyInvalid(string name) => $"Api:Keys:{name} must be 64 lower-case hex characters (a SHA-256).";

    public static string NameInvalid(string name) => $"Api:Keys:{name}: key names are 1-64 letters, digits, '.', '_' or '-'.";

    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        if (options.Keys.Count == 0)
        {
            return ValidateOptionsResult.Fail(KeysRequired);
        }

        var failures = new List<string>();
        foreach (var (key, hash) in options.Keys.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            if (!NamePattern().IsMatch(key))
            {
                failures.Add(NameInvalid(key));
            }

            if (!SecretHashes.IsValid(hash))
            {
                failures.Add(KeyInvalid(key));
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
