using Gateway.Testing;

namespace EndToEnd.Tests;

/// <summary>A test that needs the PostgreSQL server; skipped (visibly) without one; Gateway.Storage.Tests.PostgresTestsRanTests then fails.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (!TestPostgres.IsConfigured)
        {
            Skip = TestPostgres.NotRunMessage;
        }
    }
}
