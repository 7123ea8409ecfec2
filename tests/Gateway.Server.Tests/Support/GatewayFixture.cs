namespace Gateway.Server.Tests.Support;

/// <summary>One gateway shared by a test class (<c>IClassFixture</c>), for tests whose requests do not disturb each other.</summary>
public abstract class GatewayFixture : IAsyncLifetime
{
    internal GatewayHarness Harness { get; private set; } = null!;

    /// <summary>Settings on top of the harness defaults.</summary>
    protected virtual Dictionary<string, string?> Settings => [];

    public async Task InitializeAsync() => Harness = await GatewayHarness.StartAsync(Settings);

    public async Task DisposeAsync() => await Harness.DisposeAsync();
}
