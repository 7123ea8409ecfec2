using System.Text.RegularExpressions;
using Gateway.Compliance.Schemas;
using Gateway.Compliance.Tests.TestSupport;

namespace Gateway.Compliance.Tests.Policies;

/// <summary>
/// A schema pattern runs against attacker-chosen text: a policy whose pattern can backtrack catastrophically is
/// refused at load (and so by <c>gatewayctl policy lint</c>), and the compiled validator matches in linear time.
/// </summary>
public class SchemaPatternLintTests
{
    private static TestPolicyFolder WithTopicPattern(string pattern) =>
        new(formSchema: TestPolicyFolder.FormSchema.Replace("\"pattern\": \"^[a-z_]+$\"", "\"pattern\": " + System.Text.Json.JsonSerializer.Serialize(pattern), StringComparison.Ordinal));

    [Theory]
    [InlineData("^(a+)+$", "backtrack catastrophically")]
    [InlineData("^([a-z]*_?)*$", "backtrack catastrophically")]
    [InlineData("^(\\w+\\s?){2,}$", "backtrack catastrophically")]
    [InlineData("^(a)\\1$", "needs backtracking")]
    [InlineData("^(?=a)[a-z]+$", "needs backtracking")]
    [InlineData("^[a-z", "not a valid regular expression")]
    public void Refuses_SchemaPatternsThatCanBacktrack(string pattern, string message)
    {
        using var folder = WithTopicPattern(pattern);
        var result = folder.Load();

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors, e => e.Message.Contains(message, StringComparison.Ordinal));
        Assert.Equal("$.properties.topic", error.Path);
    }

    [Theory]
    [InlineData("^[a-z_]+$")]
    [InlineData("^[0-9]{3}$")]
    [InlineData("^(mon|tue)(-(mon|tue))?$")]
    [InlineData("^[a-z]{2,3}(-[A-Z]{2}){0,1}$")]
    public void Accepts_LinearPatterns(string pattern)
    {
        using var folder = WithTopicPattern(pattern);
        Assert.True(folder.Load().Succeeded);
    }

    [Fact]
    public void CompiledPatterns_DoNotBacktrack()
    {
        Assert.True(SchemaPatterns.Compile("^(a+)+$").Options.HasFlag(RegexOptions.NonBacktracking));
        Assert.DoesNotMatch(SchemaPatterns.Compile("^(a+)+$"), new string('a', 5000) + "!");
    }
}
