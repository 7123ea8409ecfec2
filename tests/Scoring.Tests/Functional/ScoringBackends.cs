using System.Collections.Concurrent;
using Gateway.Testing;

namespace Scoring.Tests.Functional;

/// <summary>
/// The stores the scoring tests run against: SQLite always, PostgreSQL when <c>GATEWAY_TEST_POSTGRES</c> is set
/// (<c>./scripts/test.sh</c> sets it; Gateway.Storage.Tests' <c>PostgresTestsRanTests</c> fails when it is not).
/// </summary>
public static class ScoringBackends
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static TheoryData<string> All()
    {
        var data = new TheoryData<string> { Sqlite };
        if (TestPostgres.IsConfigured)
        {
            data.Add(Postgres);
        }

        return data;
    }
}

/// <summary>One service per backend, started on first use and shared by a test class (for tests that do not move the clock).</summary>
public sealed class ScoringServicePerBackend : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<ScoringServiceFactory>> _factories = new(StringComparer.Ordinal);

    public ScoringServiceFactory For(string backend) => _factories.GetOrAdd(backend, b => new Lazy<ScoringServiceFactory>(() => new ScoringServiceFactory(b))).Value;

    public void Dispose()
    {
        foreach (var factory in _factories.Values.Where(f => f.IsValueCreated))
        {
            factory.Value.Dispose();
        }
    }
}
