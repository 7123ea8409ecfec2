using System.Text;
using System.Text.RegularExpressions;
using Gateway.Compliance.Derivation;

namespace Gateway.Compliance.Tests.Derivation;

/// <summary>
/// <c>email_valid</c> is read in one pass; it must answer exactly as the regular expression it replaced, which stays
/// here as the reference, on hand-picked edge cases and on random strings over the characters that matter.
/// </summary>
public class EmailValidityTests
{
    private static readonly Regex s_reference = new(
        @"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,}$",
        RegexOptions.CultureInvariant);

    private static bool Reference(string email) => email.Length <= 254 && s_reference.IsMatch(email.Trim());

    [Theory]
    [InlineData("jane.doe@example.com", true)]
    [InlineData("  jane@example.com \n", true)]
    [InlineData("o'brien+tag@mail.smile-dental.co.uk", true)]
    [InlineData("x@a.io", true)]
    [InlineData("x@1.io", true)]
    [InlineData("@example.com", false)]
    [InlineData("jane@", false)]
    [InlineData("jane@example", false)]
    [InlineData("jane@example.c", false)]
    [InlineData("jane@example.c0m", false)]
    [InlineData("jane@-example.com", false)]
    [InlineData("jane@example-.com", false)]
    [InlineData("jane@exa..mple.com", false)]
    [InlineData("jane@.example.com", false)]
    [InlineData("jane@example.com.", false)]
    [InlineData("jane@@example.com", false)]
    [InlineData("jane@ex@ample.com", false)]
    [InlineData("ja ne@example.com", false)]
    [InlineData("jané@example.com", false)]
    [InlineData("jane@exämple.com", false)]
    [InlineData("jane at example dot com", false)]
    [InlineData("", false)]
    public void KnownCases_AnswerAsTheReference(string email, bool valid)
    {
        Assert.Equal(valid, Reference(email));
        Assert.Equal(valid, EmailValidDeriver.IsValid(email));
    }

    [Fact]
    public void LabelAndLengthLimits_AnswerAsTheReference()
    {
        foreach (var email in new[]
        {
            "a@" + new string('b', 63) + ".com",
            "a@" + new string('b', 64) + ".com",
            new string('a', 240) + "@example.com",
            new string('a', 243) + "@example.com",
            "a@" + string.Join('.', Enumerable.Repeat("b", 120)) + ".com",
        })
        {
            Assert.Equal(Reference(email), EmailValidDeriver.IsValid(email));
        }
    }

    [Fact]
    public void RandomStrings_AnswerAsTheReference()
    {
        const string noise = "aZ9-._+'@@..  \té\n";
        var random = new Random(20261203);
        var valid = 0;
        for (var i = 0; i < 50_000; i++)
        {
            // Half noise, half shaped like an address (a stray character now and then), so both answers are exercised.
            var email = i % 2 == 0
                ? Pick(random, noise, 0, 24)
                : Pick(random, "ab9.+_'-", 1, 8) + (random.Next(10) == 0 ? Pick(random, noise, 1, 1) : string.Empty) + "@"
                    + Pick(random, "ab9-", 0, 6) + "." + Pick(random, "ab9-", 0, 4) + (random.Next(3) == 0 ? "." + Pick(random, "abZ9", 0, 4) : string.Empty);
            var expected = Reference(email);
            valid += expected ? 1 : 0;
            Assert.True(expected == EmailValidDeriver.IsValid(email), $"differs from the reference on case {i} (length {email.Length})");
        }

        Assert.True(valid > 1_000, $"only {valid} valid addresses were generated");
    }

    private static string Pick(Random random, string alphabet, int min, int max)
    {
        var text = new StringBuilder();
        for (var length = random.Next(min, max + 1); text.Length < length;)
        {
            text.Append(alphabet[random.Next(alphabet.Length)]);
        }

        return text.ToString();
    }
}
