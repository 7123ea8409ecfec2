using Microsoft.Extensions.Options;

namespace Scoring.Service.Options;

/// <summary>Checks <see cref="ScoringOptions"/> after its paths were resolved.</summary>
internal sealed class ScoringOptionsValidator : IValidateOptions<ScoringOptions>
{
    public const string PoliciesNotFound = "Scoring:PoliciesDirectory is not set and no 'policies' folder with scoring.schema.json was found above the working directory or the app's folder.";

    public static string PoliciesMissing(string path) => $"Scoring:PoliciesDirectory '{path}' does not exist.";

    public ValidateOptionsResult Validate(string? name, ScoringOptions options)
    {
        if (string.IsNullOrEmpty(options.PoliciesDirectory))
        {
            return ValidateOptionsResult.Fail(PoliciesNotFound);
        }

        return Directory.Exists(options.PoliciesDirectory)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(PoliciesMissing(options.PoliciesDirectory));
    }
}
