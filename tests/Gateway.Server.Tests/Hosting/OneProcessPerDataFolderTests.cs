using System.Net;
using System.Text.Json.Nodes;
using Gateway.Compliance.Audit;
using Gateway.Server.Hosting;
using Gateway.Server.Tests.Support;
using Gateway.Testing;

namespace Gateway.Server.Tests.Hosting;

/// <summary>
/// The gateway as real processes on one data folder: a second process stops at start instead of writing into the
/// first one's audit chain and stores, and a process started after a kill takes the folder over with its memory of
/// what was forwarded (the SQLite message-id ledger), so the SDK's retry is still a duplicate.
/// </summary>
public sealed class OneProcessPerDataFolderTests : IAsyncDisposable
{
    private CapturingUpstream? _upstream;
    private ProcessGatewaySetup? _setup;

    [Fact]
    public async Task ASecondProcessOnTheSameDataFolder_StopsAtStart_AndTheFirstKeepsServingWithAChainThatVerifies()
    {
        var setup = await SetupAsync();
        await using var first = await GatewayProcess.StartAsync(setup.Settings, GatewayProcess.FreePort());
        await setup.RecordBaaAsync(first.Address);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => GatewayProcess.StartAsync(setup.Settings, GatewayProcess.FreePort()));
        Assert.Contains("exited with code", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"Another gateway process is using the data folder {setup.DataPath}", refused.Message, StringComparison.Ordinal);

        using var client = setup.Client(first.Address);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/track", Events.Json(Events.ServicePageViewed("after-refusal")))).StatusCode);
        await first.StopAsync();
        var verification = new AuditChainVerifier().Verify(setup.AuditPath);
        Assert.True(verification.IsValid, string.Join("; ", verification.Problems));
    }

    [Fact]
    public async Task AfterAKill_TheNextProcessTakesTheFolderOver_AndARetriedBatchIsStillADuplicate()
    {
        var setup = await SetupAsync();
        var port = GatewayProcess.FreePort();
        var batch = Events.Batch(Events.ServicePageViewed("r-1"), Events.ServicePageViewed("r-2"));
        await using (var first = await GatewayProcess.StartAsync(setup.Settings, port))
        {
            await setup.RecordBaaAsync(first.Address);
            using var client = setup.Client(first.Address);
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/batch", Events.Json(batch))).StatusCode);

            // SIGKILL: the lock is not given back by the process, only by the kernel.
            first.Kill();
        }

        await using var second = await GatewayProcess.StartAsync(setup.Settings, port);
        using (var client = setup.Client(second.Address))
        {
            var retry = Events.Batch(Events.ServicePageViewed("r-1"), Events.ServicePageViewed("r-2"), Events.ServicePageViewed("r-3"));
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/batch", Events.Json(retry))).StatusCode);
        }

        Assert.Equal(
            new[] { "r-1", "r-2", "r-3" }.Select(setup.Pseudonym).Order(StringComparer.Ordinal),
            _upstream!.MessageIds.Order(StringComparer.Ordinal));
        await second.StopAsync();
        var duplicates = new AuditReader([setup.AuditPath]).Read(new AuditQuery { Kinds = new HashSet<string>([AuditKinds.Event]) })
            .Count(r => r.Root.TryGetProperty("reason", out var reason) && reason.GetString() == "duplicate");
        Assert.Equal(2, duplicates);
    }

    [Fact]
    public void TheLock_IsRefusedWhileHeld_AndFreeOnceReleased()
    {
        var folder = Path.Combine(Path.GetTempPath(), "gw-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var held = new DataFolderLock(folder);
            var refused = Assert.Throws<InvalidOperationException>(() => new DataFolderLock(folder));
            Assert.Contains(folder, refused.Message, StringComparison.Ordinal);
            held.Dispose();
            using var again = new DataFolderLock(folder);
            Assert.True(File.Exists(Path.Combine(folder, DataFolderLock.FileName)));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _setup?.DeleteData();
        if (_upstream is not null)
        {
            await _upstream.DisposeAsync();
        }
    }

    private async Task<ProcessGatewaySetup> SetupAsync()
    {
        _upstream = await CapturingUpstream.StartAsync();
        _setup = new ProcessGatewaySetup("folder-dental", "gw-folder", _upstream);
        return _setup;
    }
}
