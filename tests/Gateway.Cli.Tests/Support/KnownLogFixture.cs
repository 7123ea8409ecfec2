using Gateway.Compliance.Tests.TestSupport;

namespace Gateway.Cli.Tests.Support;

/// <summary>
/// The known audit log (written by the real FileAuditLog), a gateway-shaped config with the practices' keys
/// next to it (one secret in a SecretFile), and a signed checkpoint set for it.
/// </summary>
public sealed class KnownLogFixture : IAsyncLifetime
{
    private readonly TempDirectory _root = new("known");

    public string AuditDir => Path.Combine(_root.Path, "audit");

    public string Config => Path.Combine(_root.Path, "appsettings.json");

    public async Task InitializeAsync()
    {
        await KnownAuditLog.WriteAsync(AuditDir, RepoPaths.Policies);
        await File.WriteAllTextAsync(Config, KnownAuditLog.ConfigJson());
        await File.WriteAllTextAsync(Path.Combine(_root.Path, "health-h1.key"), KnownAuditLog.HealthSecretFileContent);
    }

    public Task DisposeAsync()
    {
        _root.Dispose();
        return Task.CompletedTask;
    }
}
