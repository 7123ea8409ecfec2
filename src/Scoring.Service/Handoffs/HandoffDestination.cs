namespace Scoring.Service.Handoffs;

/// <summary>
/// A configured destination with its secret read from its file at start: a signing key, a bearer token, an SMTP
/// password or a Slack webhook URL. <see cref="ToString"/> names the destination only, so a secret never reaches a log.
/// </summary>
internal sealed class HandoffDestination
{
    public required string Name { get; init; }

    public required string Practice { get; init; }

    public required string Kind { get; init; }

    public required IReadOnlySet<string> Events { get; init; }

    /// <summary>Where to send (webhook URL, Slack webhook URL, CRM base URL); null for e-mail.</summary>
    public Uri? Url { get; init; }

    /// <summary>The secret's bytes (signing key, token, password); empty when the kind has none.</summary>
    public required byte[] Secret { get; init; }

    public Options.HandoffDestinationOptions Settings { get; init; } = new();

    public bool Wants(string kind) => Events.Contains(kind);

    public override string ToString() => $"{Kind} destination '{Name}'";
}
