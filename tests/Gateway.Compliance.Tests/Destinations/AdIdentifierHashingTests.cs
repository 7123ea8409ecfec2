using Gateway.Compliance.Destinations;

namespace Gateway.Compliance.Tests.Destinations;

public class AdIdentifierHashingTests
{
    [Fact]
    public void MetaEmail_MatchesMetasOwnExample()
    {
        // Meta's customer information parameters page: "John_Smith@gmail.com" → "john_smith@gmail.com" → this hash.
        Assert.Equal("62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f", AdIdentifierHashing.MetaEmail("John_Smith@gmail.com"));
        Assert.Equal(AdIdentifierHashing.MetaEmail("John_Smith@gmail.com"), AdIdentifierHashing.MetaEmail("  JOHN_SMITH@GMAIL.COM\t"));
    }

    [Fact]
    public void MetaPhone_MatchesMetasOwnExample_DigitsWithCountryCodeAndNoPlus()
    {
        // Meta's example: "(650)555-1212" → "16505551212" → this hash.
        Assert.Equal("e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176", AdIdentifierHashing.MetaPhone("(650)555-1212"));
        Assert.Equal(AdIdentifierHashing.MetaPhone("(650)555-1212"), AdIdentifierHashing.MetaPhone("+1 650 555 1212"));
    }

    [Fact]
    public void GoogleEmail_RemovesDotsBeforeGmail_ButNotForOtherDomains()
    {
        Assert.Equal(AdIdentifierHashing.Sha256Hex("johnsmith@gmail.com"), AdIdentifierHashing.GoogleEmail(" John.Smith@Gmail.com"));
        Assert.Equal(AdIdentifierHashing.Sha256Hex("johnsmith@googlemail.com"), AdIdentifierHashing.GoogleEmail("john.smith@googlemail.com"));
        Assert.Equal(AdIdentifierHashing.Sha256Hex("john.smith@example.com"), AdIdentifierHashing.GoogleEmail("John.Smith@example.com"));

        // Meta keeps the dots: the two platforms' hashes of one address differ.
        Assert.NotEqual(AdIdentifierHashing.MetaEmail("john.smith@gmail.com"), AdIdentifierHashing.GoogleEmail("john.smith@gmail.com"));
    }

    [Fact]
    public void GooglePhone_IsE164WithThePlus()
    {
        Assert.Equal("1e231c66011e7a2d867a9cfae267a6aff103cf4913640b6e71a99850fc0ffbc8", AdIdentifierHashing.GooglePhone("(650) 555-1212"));
        Assert.Equal(AdIdentifierHashing.Sha256Hex("+16505551212"), AdIdentifierHashing.GooglePhone("650.555.1212"));
    }

    [Fact]
    public void AnInternationalNumberWithItsPlus_KeepsItsOwnCountryCode()
    {
        // Ten digits after a '+' are a Danish (or other) number, not a North American one missing its 1.
        Assert.Equal(AdIdentifierHashing.Sha256Hex("4512345678"), AdIdentifierHashing.MetaPhone("+45 12 34 56 78"));
        Assert.Equal(AdIdentifierHashing.Sha256Hex("+4512345678"), AdIdentifierHashing.GooglePhone("+45 1234 5678"));
        Assert.Equal(AdIdentifierHashing.Sha256Hex("447911123456"), AdIdentifierHashing.MetaPhone("+44 07911 123456".Replace("07911", "7911", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("not an email")]
    [InlineData("maria@")]
    [InlineData("")]
    public void NotAnEmail_IsNotHashed(string value)
    {
        Assert.Null(AdIdentifierHashing.MetaEmail(value));
        Assert.Null(AdIdentifierHashing.GoogleEmail(value));
    }

    [Theory]
    [InlineData("call me")]
    [InlineData("12")]
    public void NotAPhone_IsNotHashed(string value)
    {
        Assert.Null(AdIdentifierHashing.MetaPhone(value));
        Assert.Null(AdIdentifierHashing.GooglePhone(value));
    }
}
