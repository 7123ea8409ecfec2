using Gateway.Compliance.Operators;

namespace Gateway.Compliance.Tests.Operators;

/// <summary>The cache in front of a keep guard remembers only accepted values; a refused value is judged every time.</summary>
public class AcceptedValueCacheTests
{
    [Fact]
    public void AnAcceptedValue_IsNotCheckedAgain()
    {
        var cache = new AcceptedValueCache();
        var checks = 0;
        bool Check(string value) { checks++; return value == "spring-whitening"; }

        Assert.True(cache.Accepts("spring-whitening", Check));
        Assert.True(cache.Accepts("spring-whitening", Check));
        Assert.Equal(1, checks);
    }

    [Fact]
    public void ARefusedValue_IsCheckedEveryTime_AndNeverAccepted()
    {
        var cache = new AcceptedValueCache();
        var checks = 0;
        bool Check(string value) { checks++; return false; }

        Assert.False(cache.Accepts("eleanor-vasquez", Check));
        Assert.False(cache.Accepts("eleanor-vasquez", Check));
        Assert.Equal(2, checks);
    }

    [Fact]
    public void OnceFull_NewValuesAreStillJudged_ButNotRemembered()
    {
        var cache = new AcceptedValueCache(capacity: 2);
        var checks = new Dictionary<string, int>();
        bool Check(string value) { checks[value] = checks.GetValueOrDefault(value) + 1; return !value.StartsWith("jane", StringComparison.Ordinal); }

        Assert.True(cache.Accepts("a", Check));
        Assert.True(cache.Accepts("b", Check));
        Assert.True(cache.Accepts("c", Check));
        Assert.True(cache.Accepts("c", Check));
        Assert.False(cache.Accepts("jane-doe", Check));
        Assert.True(cache.Accepts("a", Check));

        Assert.Equal(1, checks["a"]);
        Assert.Equal(2, checks["c"]);
        Assert.Equal(1, checks["jane-doe"]);
    }
}
