using System.Security.Cryptography;
using Gateway.Compliance.Pseudonyms;

namespace Gateway.Compliance.Tests.Pseudonyms;

public class PseudonymizerTests
{
    private static PseudonymKey Key(string id, byte seed, string practice = "p-1") => new(id, Enumerable.Repeat(seed, 32).ToArray(), practice);

    [Fact]
    public void Pseudonym_IsKeyIdPrefixedBase64UrlOf128Bits()
    {
        var pseudonym = Pseudonymizer.Pseudonymize(Key("k1", 1), "jane@example.com", IdentifierNormalization.Email);
        Assert.Matches("^k1:[A-Za-z0-9_-]{22}$", pseudonym);
    }

    [Fact]
    public void Pseudonym_IsHmacSha256_UnderAKeyDerivedFromSecretPracticeAndKeyId()
    {
        var secret = Enumerable.Repeat((byte)7, 32).ToArray();
        var derived = HMACSHA256.HashData(secret, "gw-pseudonym-v2\0p-7\0k7"u8);
        var expected = "k7:" + System.Buffers.Text.Base64Url.EncodeToString(HMACSHA256.HashData(derived, "user-1"u8)[..16]);
        Assert.Equal(expected, Pseudonymizer.Pseudonymize(new PseudonymKey("k7", secret, "p-7"), "user-1", IdentifierNormalization.Exact));
        var plain = System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData("user-1"u8)[..16]);
        Assert.DoesNotContain(plain, expected);
    }

    [Fact]
    public void TwoPractices_WithTheSameSecretAndKeyId_GetUnrelatedPseudonyms()
    {
        var a = Pseudonymizer.Pseudonymize(Key("k1", 4, "practice-a"), "jane@example.com", IdentifierNormalization.Email);
        var b = Pseudonymizer.Pseudonymize(Key("k1", 4, "practice-b"), "jane@example.com", IdentifierNormalization.Email);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void AnUnscopedRetiredKey_ReproducesPseudonymsMadeBeforeScoping_AndIsFoundBySearch()
    {
        var secret = Enumerable.Repeat((byte)8, 32).ToArray();
        var before = "k1:" + System.Buffers.Text.Base64Url.EncodeToString(HMACSHA256.HashData(secret, "user-1"u8)[..16]);
        using var ring = new PseudonymKeyRing(Key("k2", 9), [new PseudonymKey("k1", secret, "p-1", PseudonymDerivation.Unscoped)]);
        Assert.Contains(before, Pseudonymizer.Candidates(ring, "user-1", IdentifierNormalization.Exact));
    }

    [Fact]
    public void AKeyRing_RefusesAnUnscopedActiveKey_AndKeysOfAnotherPractice()
    {
        Assert.Throws<ArgumentException>(() => new PseudonymKeyRing(new PseudonymKey("k1", new byte[32], "p-1", PseudonymDerivation.Unscoped)));
        Assert.Throws<ArgumentException>(() => new PseudonymKeyRing(Key("k2", 1, "p-1"), [Key("k1", 2, "p-2")]));
    }

    [Fact]
    public void SharedSecrets_AreFoundAcrossPractices_NotWithinOne()
    {
        var same = Enumerable.Repeat((byte)5, 32).ToArray();
        var found = SharedPseudonymSecrets.Find(
        [
            new("a", "k1", same), new("a", "k0", (byte[])same.Clone()), new("b", "x1", (byte[])same.Clone()), new("c", "k1", new byte[32]),
        ]).ToList();
        Assert.Equal([("a", "k1", "b", "x1"), ("a", "k0", "b", "x1")], found.Select(f => (f.First.PracticeId, f.First.KeyId, f.Second.PracticeId, f.Second.KeyId)));
    }

    [Theory]
    [InlineData(IdentifierNormalization.Email, " Jane.Roe@Example.COM ", "jane.roe@example.com")]
    [InlineData(IdentifierNormalization.Phone, "(617) 555-0134", "+1 617 555 0134")]
    [InlineData(IdentifierNormalization.Phone, "6175550134", "16175550134")]
    [InlineData(IdentifierNormalization.Lower, "ABC", "abc")]
    public void Normalization_MakesSpellingsOfOneIdentifierEqual(IdentifierNormalization normalization, string a, string b)
    {
        var key = Key("k1", 3);
        Assert.Equal(Pseudonymizer.Pseudonymize(key, a, normalization), Pseudonymizer.Pseudonymize(key, b, normalization));
    }

    [Fact]
    public void ExactNormalization_IsCaseSensitive()
    {
        var key = Key("k1", 3);
        Assert.NotEqual(Pseudonymizer.Pseudonymize(key, "User-1", IdentifierNormalization.Exact), Pseudonymizer.Pseudonymize(key, "user-1", IdentifierNormalization.Exact));
    }

    [Fact]
    public void TwoPractices_NeverShareAPseudonym()
    {
        var a = Pseudonymizer.Pseudonymize(Key("a1", 1), "jane@example.com", IdentifierNormalization.Email);
        var b = Pseudonymizer.Pseudonymize(Key("b1", 2), "jane@example.com", IdentifierNormalization.Email);
        Assert.NotEqual(a.Split(':')[1], b.Split(':')[1]);
    }

    [Fact]
    public void Candidates_CoverActiveAndRetiredKeys_ForSearchAfterRotation()
    {
        using var ring = new PseudonymKeyRing(Key("k2", 2), [Key("k1", 1)]);
        var old = Pseudonymizer.Pseudonymize(Key("k1", 1), "user-9", IdentifierNormalization.Exact);
        var candidates = Pseudonymizer.Candidates(ring, "user-9", IdentifierNormalization.Exact);
        Assert.Equal(2, candidates.Count);
        Assert.StartsWith("k2:", candidates[0]);
        Assert.Contains(old, candidates);
    }

    [Fact]
    public void Rejects_ShortSecrets_AndBadKeyIds()
    {
        Assert.Throws<ArgumentException>(() => new PseudonymKey("k1", new byte[16], "p-1"));
        Assert.Throws<ArgumentException>(() => new PseudonymKey("k:1", new byte[32], "p-1"));
    }

    [Fact]
    public void LongValues_ArePseudonymizedWithoutTruncation()
    {
        var key = Key("k1", 5);
        var a = new string('a', 5000) + "x";
        var b = new string('a', 5000) + "y";
        Assert.NotEqual(Pseudonymizer.Pseudonymize(key, a, IdentifierNormalization.Exact), Pseudonymizer.Pseudonymize(key, b, IdentifierNormalization.Exact));
    }

    [Fact]
    public void IsThreadSafe_WithReusedHmacInstances()
    {
        var key = Key("k1", 9);
        var expected = Pseudonymizer.Pseudonymize(key, "same", IdentifierNormalization.Exact);
        Parallel.For(0, 2000, i => Assert.Equal(expected, Pseudonymizer.Pseudonymize(key, "same", IdentifierNormalization.Exact)));
    }
}
