namespace Gateway.Server.ComplianceConsole.Pages;

/// <summary>The overview: warnings first, then chain, today's events, destinations, queues and policies.</summary>
internal sealed class IndexModel(ConsoleOverview overview) : ConsolePage
{
    public OverviewModel? Overview { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Overview = await overview.BuildAsync(cancellationToken);
}
