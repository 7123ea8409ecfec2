namespace Gateway.Server.Forwarding;

/// <summary>Sends a scrubbed batch to a policy destination (a YARP cluster).</summary>
internal interface IDestinationForwarder
{
    Task<ForwardResult> SendAsync(string cluster, ReadOnlyMemory<byte> body, CancellationToken cancellationToken);
}
