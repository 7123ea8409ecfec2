using Pms.Connectors.Delivery;
using Pms.Connectors.State;

namespace Pms.Connectors.Tests.Support;

/// <summary>A connector's delivery wired to a fake gateway and a state file in a temp folder.</summary>
internal sealed class Connector : IDisposable
{
    private readonly HttpClient _http = new();

    public Connector(FakeGateway gateway, string stateFile, string name = "test", int batchSize = 10, int maxAttempts = 2)
    {
        State = ConnectorStateStore.Open(stateFile, TimeProvider.System);
        Sender = new GatewaySender(_http, new GatewayOptions
        {
            Endpoint = gateway.Address,
            WriteKey = FakeGateway.WriteKey,
            ConsentCategories = ["Analytics"],
            BatchSize = batchSize,
            MaxAttempts = maxAttempts,
            RetryDelay = TimeSpan.FromMilliseconds(5),
        }, TimeProvider.System);
        Delivery = new EventDelivery(name, Sender, State);
        Name = name;
    }

    public string Name { get; }

    public ConnectorStateStore State { get; }

    public GatewaySender Sender { get; }

    public EventDelivery Delivery { get; }

    public ConnectorStatus Status => State.Get(Name)!;

    public void Dispose()
    {
        State.Dispose();
        _http.Dispose();
    }
}
