namespace Gateway.Server.Forwarding;

/// <summary>Sends a scrubbed batch to a policy destination (a YARP cluster).</summary>
internal interface IDestinationForwarder
{
    Task<ForwardResult> SendAsync(string cluster, ReadOnlyMemory<byte> body, CancellationToken cancellationToken);

    /// <summary>
    /// What each destination of the cluster says it can score (<c>GET /ingest/v1/verticals</c> with the forwarding
    /// token): its vertical names, or null for a destination that gave no answer (down, or an older service).
    /// </summary>
    Task<IReadOnlyList<(string Destination, IReadOnlySet<string>? Verticals)>> ScorableVerticalsAsync(string cluster, CancellationToken cancellationToken);
}
