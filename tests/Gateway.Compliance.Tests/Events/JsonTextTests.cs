using System.Text;
using Gateway.Compliance.Events;

namespace Gateway.Compliance.Tests.Events;

public class JsonTextTests
{
    [Theory]
    [InlineData("""{"a":"plain"}""", true)]
    [InlineData("""{"a":"\u00e9\u4e2d"}""", true)]
    [InlineData("""{"a":"\ud83d\ude00"}""", true)]
    [InlineData("""{"a":"\uD83D\uDE00"}""", true)]
    [InlineData("""{"a":"\\ud800"}""", true)]
    [InlineData("""{"a":"\\\ud83d\ude00"}""", true)]
    [InlineData("""{"a":"\ud800"}""", false)]
    [InlineData("""{"a":"\udc00"}""", false)]
    [InlineData("""{"a":"\ude00\ud83d"}""", false)]
    [InlineData("""{"a":"\ud83d\u0041"}""", false)]
    [InlineData("""{"a":"\ud83d\n"}""", false)]
    [InlineData("""{"a":"\ud83d"}""", false)]
    [InlineData("""{"\ud800":1}""", false)]
    [InlineData("""{"a":"\\\ud800"}""", false)]
    public void IsValidUnicode_AcceptsPairs_AndRefusesLoneSurrogates(string json, bool valid) =>
        Assert.Equal(valid, JsonText.IsValidUnicode(Encoding.UTF8.GetBytes(json)));
}
