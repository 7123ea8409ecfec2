using Gateway.Compliance.Tests.TestSupport;

namespace Gateway.Compliance.Tests.Audit;

/// <summary>Writes <see cref="KnownAuditLog"/> once for a test class.</summary>
public sealed class KnownAuditLogFixture : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("known-audit");

    public string Directory => _dir.Path;

    public Task InitializeAsync() => KnownAuditLog.WriteAsync(_dir.Path, RepoPaths.Policies);

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}
