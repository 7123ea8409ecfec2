using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Scoring.Service.Handoffs;

namespace Scoring.Service.Options;

/// <summary>Checks every hand-off destination at start and reports every problem at once (never a secret's content).</summary>
internal sealed partial class HandoffOptionsValidator(IHostEnvironment environment) : IValidateOptions<HandoffOptions>
{
    public ValidateOptionsResult Validate(string? name, HandoffOptions options)
    {
        var errors = new List<string>();
        if (options.PollSeconds is < 1 or > 3600)
        {
            errors.Add("Handoffs:PollSeconds must be between 1 and 3600.");
        }

        if (options.MaxAttempts is < 1 or > 100)
        {
            errors.Add("Handoffs:MaxAttempts must be between 1 and 100.");
        }

        foreach (var (key, destination) in options.Destinations.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            var at = $"Handoffs:Destinations:{key}";
            if (!NamePattern().IsMatch(key))
            {
                errors.Add($"{at}: destination names are 1-64 letters, digits, '.', '_' or '-'.");
            }

            if (destination.Practice is null || !PracticePattern().IsMatch(destination.Practice))
            {
                errors.Add($"{at}:Practice is required: the practice id whose hand-offs go there.");
            }

            foreach (var kind in destination.Events.Where(e => !HandoffKinds.All.Contains(e)))
            {
                errors.Add($"{at}:Events: '{kind}' is not one of {string.Join(", ", HandoffKinds.All)}.");
            }

            switch (destination.Kind)
            {
                case HandoffDestinationKinds.Webhook:
                    Url(errors, at, destination.Url, required: true);
                    File(errors, at, "SecretFile", destination.SecretFile, required: true);
                    break;
                case HandoffDestinationKinds.Slack:
                    File(errors, at, "UrlFile", destination.UrlFile, required: true);
                    break;
                case HandoffDestinationKinds.HubSpot:
                case HandoffDestinationKinds.Salesforce:
                    Url(errors, at, destination.Url, required: destination.Kind == HandoffDestinationKinds.Salesforce);
                    File(errors, at, "SecretFile", destination.SecretFile, required: true);
                    break;
                case HandoffDestinationKinds.Email:
                    Email(errors, at, destination);
                    break;
                default:
                    errors.Add($"{at}:Kind must be one of {string.Join(", ", HandoffDestinationKinds.All)}.");
                    break;
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>HTTPS, or plain HTTP to a loopback address (local receivers and tests).</summary>
    public static bool IsAllowed(Uri uri) => uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri.Host));

    public static bool IsLoopback(string host) => host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    private void Email(List<string> errors, string at, HandoffDestinationOptions destination)
    {
        if (string.IsNullOrWhiteSpace(destination.SmtpHost))
        {
            errors.Add($"{at}:SmtpHost is required.");
        }
        else if (!destination.StartTls && !IsLoopback(destination.SmtpHost))
        {
            errors.Add($"{at}:StartTls may be off only for a loopback SMTP host: hand-offs are not sent in the clear.");
        }

        if (destination.SmtpPort is < 1 or > 65535)
        {
            errors.Add($"{at}:SmtpPort must be between 1 and 65535.");
        }

        if (destination.From is null || !destination.From.Contains('@', StringComparison.Ordinal))
        {
            errors.Add($"{at}:From must be an email address.");
        }

        if (destination.To.Count == 0 || destination.To.Any(t => !t.Contains('@', StringComparison.Ordinal)))
        {
            errors.Add($"{at}:To must list one or more email addresses.");
        }

        if (destination.UserName is not null)
        {
            File(errors, at, "PasswordFile", destination.PasswordFile, required: true);
        }
    }

    private static void Url(List<string> errors, string at, string? url, bool required)
    {
        if (url is null)
        {
            if (required)
            {
                errors.Add($"{at}:Url is required.");
            }
        }
        else if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !IsAllowed(uri))
        {
            errors.Add($"{at}:Url must be an absolute https URL (http only to a loopback address).");
        }
    }

    private void File(List<string> errors, string at, string setting, string? path, bool required)
    {
        if (path is null)
        {
            if (required)
            {
                errors.Add($"{at}:{setting} is required: a file holding only the secret.");
            }

            return;
        }

        var full = Path.IsPathRooted(path) ? path : Path.Combine(environment.ContentRootPath, path);
        if (!System.IO.File.Exists(full))
        {
            errors.Add($"{at}:{setting} ({path}) does not exist.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex PracticePattern();
}
