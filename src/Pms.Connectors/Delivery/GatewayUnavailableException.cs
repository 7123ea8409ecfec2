namespace Pms.Connectors.Delivery;

/// <summary>
/// The gateway did not take a batch after every attempt (429, 5xx, network) or refused the write key (401). The run
/// stops without advancing its cursor or marking the rows sent, so the next run sends them again: nothing is lost.
/// </summary>
public sealed class GatewayUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
