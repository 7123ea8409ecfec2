using System.Text.RegularExpressions;

namespace Gateway.Compliance.Policies.Validation;

/// <summary>
/// Birth dates are never kept, tokenized, hashed or cut to a year: a year of birth reveals ages over 89,
/// which Safe Harbor requires to be aggregated. They may be dropped, banded, or used to derive an age band.
/// </summary>
internal sealed partial class BirthDatesUseAgeBands : IPolicyRule
{
    public void Validate(PolicyValidationContext context)
    {
        foreach (var rule in FieldRulesAreWellFormed.AllRules(context.Definition))
        {
            var last = rule.PathText.Split('.')[^1];
            if (!BirthName().IsMatch(last))
            {
                continue;
            }

            var method = (string?)rule.Options["method"];
            var ok = rule.Action == "drop" || (rule.Action == "generalize" && method == "age-band");
            if (!ok)
            {
                context.AddError(rule.Location, rule.PolicyPath,
                    $"'{rule.PathText}' looks like a birth date; use 'drop' or 'generalize' with method 'age-band' (derive 'age_band' to keep the signal)");
            }
        }
    }

    [GeneratedRegex("(^|_)(birth_?date|birthday|date_?of_?birth|dob)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BirthName();
}
