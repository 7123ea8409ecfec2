using Gateway.Testing;

namespace Gateway.Storage.Tests;

/// <summary>
/// The PostgreSQL store tests run only when a server is configured. This test fails otherwise, so a run
/// without one (CI included) cannot pass while silently skipping them; <c>GATEWAY_TEST_POSTGRES=skip</c> opts out knowingly.
/// </summary>
public class PostgresTestsRanTests
{
    [Fact]
    public void PostgresStoreTests_RanAgainstARealServer()
    {
        Assert.True(TestPostgres.IsConfigured || TestPostgres.IsSkipped, TestPostgres.NotRunMessage);
    }
}
