using Microsoft.Extensions.Options;

namespace Gateway.Server.ComplianceConsole;

/// <summary>Checks the console's session settings at start; every problem is reported at once.</summary>
internal sealed class ConsoleOptionsValidator : IValidateOptions<ConsoleOptions>
{
    public ValidateOptionsResult Validate(string? name, ConsoleOptions options)
    {
        var errors = new List<string>();
        if (options.IdleMinutes is < 1 or > 120)
        {
            errors.Add($"{ConsoleOptions.SectionName}:IdleMinutes must be between 1 and 120.");
        }

        if (options.MaxHours is < 1 or > 24)
        {
            errors.Add($"{ConsoleOptions.SectionName}:MaxHours must be between 1 and 24.");
        }

        if (options.IdleMinutes > options.MaxHours * 60)
        {
            errors.Add($"{ConsoleOptions.SectionName}:IdleMinutes must not exceed MaxHours.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
