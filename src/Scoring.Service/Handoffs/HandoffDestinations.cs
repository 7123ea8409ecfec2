using System.Text;
using Microsoft.Extensions.Options;
using Scoring.Service.Options;

namespace Scoring.Service.Handoffs;

/// <summary>
/// Every configured hand-off destination, with secrets read once from their files (validated at start, see
/// <see cref="HandoffOptionsValidator"/>). Webhook secrets written as <c>whsec_&lt;base64&gt;</c> (the Standard
/// Webhooks form) are decoded; any other content is used as its UTF-8 bytes.
/// </summary>
internal sealed class HandoffDestinations
{
    private readonly IReadOnlyList<HandoffDestination> _all;

    public HandoffDestinations(IOptions<HandoffOptions> options, IHostEnvironment environment)
    {
        string Read(string path) =>
            File.ReadAllText(Path.IsPathRooted(path) ? path : Path.Combine(environment.ContentRootPath, path)).Trim();

        _all =
        [
            .. options.Value.Destinations.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => new HandoffDestination
            {
                Name = d.Key,
                Practice = d.Value.Practice!,
                Kind = d.Value.Kind!,
                Events = (d.Value.Events.Count == 0 ? HandoffKinds.All : d.Value.Events).ToHashSet(StringComparer.Ordinal),
                Url = d.Value.UrlFile is { } file ? UrlFrom(d.Key, Read(file))
                    : d.Value.Url is { } url ? new Uri(url)
                    : d.Value.Kind == HandoffDestinationKinds.HubSpot ? new Uri("https://api.hubapi.com") : null,
                Secret = (d.Value.SecretFile ?? d.Value.PasswordFile) is { } secret ? Decode(d.Key, Read(secret)) : [],
                Settings = d.Value,
            }),
        ];
    }

    public IReadOnlyList<HandoffDestination> All => _all;

    public IEnumerable<HandoffDestination> Of(string practice) => _all.Where(d => d.Practice == practice);

    public HandoffDestination? Find(string name) => _all.FirstOrDefault(d => d.Name == name);

    /// <summary>A URL read from a file; a problem is reported by setting, never with the file's content (the URL is a secret).</summary>
    private static Uri UrlFrom(string name, string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && HandoffOptionsValidator.IsAllowed(uri)
            ? uri
            : throw new InvalidOperationException($"Handoffs:Destinations:{name}:UrlFile must hold an absolute https URL (http only to a loopback address).");

    private static byte[] Decode(string name, string secret)
    {
        if (!secret.StartsWith("whsec_", StringComparison.Ordinal))
        {
            return Encoding.UTF8.GetBytes(secret);
        }

        try
        {
            return Convert.FromBase64String(secret["whsec_".Length..]);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"Handoffs:Destinations:{name}: a secret written as whsec_... must be base64 after the prefix.");
        }
    }
}
