using Scoring.Engine.Routing;
using static Scoring.Tests.TestSupport.TestConfig;

namespace Scoring.Tests.Routing;

public class RouterTests
{
    [Theory]
    [InlineData("implants", "treatment")]
    [InlineData("IMPLANTS", "treatment")]
    [InlineData("hygiene", "scheduling")]
    [InlineData(null, "scheduling")]
    public void FirstMatchingRuleWins(string? serviceLine, string queue)
    {
        var routed = Router.Route(Create().Routing, name => name == "service_line" ? serviceLine : null);

        Assert.Equal(queue, routed.Name);
    }
}
