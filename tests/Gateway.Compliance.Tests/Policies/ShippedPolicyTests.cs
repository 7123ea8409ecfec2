using Gateway.Compliance.Policies;

namespace Gateway.Compliance.Tests.Policies;

public class ShippedPolicyTests
{
    [Theory]
    [InlineData("dental")]
    [InlineData("healthcare")]
    [InlineData("digital-health")]
    public void Loads_WithoutErrors(string vertical)
    {
        var result = new PolicyLoader().Load(RepoPaths.Policy(vertical));
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
    }
}
