using Gateway.Compliance.Text;

namespace Gateway.Compliance.Tests.Text;

public class TextNormalizationTests
{
    [Theory]
    [InlineData("ＳＴＯＰ", "STOP")]
    [InlineData("jane＠example．com", "jane@example.com")]
    [InlineData("st\u200Bop", "stop")]
    [InlineData("s\u00ADt\u2060o\uFEFFp", "stop")]
    [InlineData("\u202Estop\u202C", "stop")]
    [InlineData("s\uFE0Ftop", "stop")]
    [InlineData("ﬁle", "file")]
    [InlineData("a\u00A0b", "a b")]
    [InlineData("Jose\u0301", "José")]
    public void Normalize_MapsLookAlikesToTheirPlainForm(string input, string expected) =>
        Assert.Equal(expected, TextNormalization.Normalize(input));

    [Fact]
    public void Normalize_LeavesPlainAsciiAsItIs()
    {
        const string text = "Plain ASCII text, 123.";
        Assert.Same(text, TextNormalization.Normalize(text));
    }

    [Fact]
    public void Normalize_RemovesSupplementaryTagCharacters()
    {
        var tagged = "st" + char.ConvertFromUtf32(0xE0041) + "op";
        Assert.Equal("stop", TextNormalization.Normalize(tagged));
    }

    [Fact]
    public void Fold_AlsoLowerCases() => Assert.Equal("stop texting", TextNormalization.Fold("ＳＴＯＰ Texting"));

    [Fact]
    public void IsAvailable_InTheShippedBuild() => Assert.True(TextNormalization.IsAvailable);
}
