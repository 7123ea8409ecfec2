using System.Security.Cryptography;
using System.Text;
using Gateway.Server.Durability;
using Microsoft.AspNetCore.DataProtection;

namespace Gateway.Server.Tests.Durability;

public sealed class OutboxPayloadProtectionTests : IDisposable
{
    private readonly string _keys = Directory.CreateTempSubdirectory("gw-outbox-keys").FullName;

    private OutboxPayloadProtection Protection()
    {
        var provider = DataProtectionProvider.Create(new DirectoryInfo(_keys));
        provider.CreateProtector("warm-up").Protect("x"u8.ToArray());
        return new OutboxPayloadProtection(provider, KeyRingGuard.ForDirectory(_keys));
    }

    [Fact]
    public void AProtectedPayload_RoundTrips_AndHoldsNoPlaintext()
    {
        var protection = Protection();
        var scrubbed = "{\"properties\":{\"notes\":\"zygomatic implant\"}}"u8.ToArray();
        var other = "{\"properties\":{\"notes\":\"bridge\"}}"u8.ToArray();
        var stored = protection.Protect("p-1", [scrubbed, other]);
        Assert.All(stored, s => Assert.True(OutboxPayloadProtection.IsProtected(s)));
        Assert.DoesNotContain("zygomatic", Encoding.Latin1.GetString(stored[0]), StringComparison.Ordinal);
        Assert.Equal(scrubbed, protection.Unprotect("p-1", stored[0]));
        Assert.Equal(other, protection.Unprotect("p-1", stored[1]));
    }

    [Fact]
    public void APayloadOfAnotherPractice_CannotBeOpened()
    {
        var protection = Protection();
        var stored = protection.Protect("p-1", ["{}"u8.ToArray()])[0];
        Assert.ThrowsAny<CryptographicException>(() => protection.Unprotect("p-2", stored));
    }

    [Fact]
    public void APayloadQueuedBeforeEncryption_IsDeliveredAsItIs()
    {
        var legacy = "{\"type\":\"track\"}"u8.ToArray();
        Assert.Equal(legacy, Protection().Unprotect("p-1", legacy));
    }

    [Fact]
    public void WithoutAKeyRing_NothingIsProtected()
    {
        var protection = Protection();
        foreach (var file in Directory.GetFiles(_keys))
        {
            File.Delete(file);
        }

        Assert.Throws<KeyRingUnavailableException>(() => protection.Protect("p-1", ["{}"u8.ToArray()]));
    }

    public void Dispose() => Directory.Delete(_keys, recursive: true);
}
