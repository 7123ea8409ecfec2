using Gateway.Testing;

namespace Gateway.Storage.Tests;

/// <summary>A test that needs the PostgreSQL server; skipped (visibly) without one, and <see cref="PostgresTestsRanTests"/> then fails.</summary>
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
