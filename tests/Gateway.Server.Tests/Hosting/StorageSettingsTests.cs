using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Gateway.Compliance.Pseudonyms;
using Gateway.Compliance.Secrets;
using Gateway.Server.Tests.Support;
using Gateway.Testing;

namespace Gateway.Server.Tests.Hosting;

/// <summary>The storage, key store and Data Protection settings: validated at start with every error named, secrets never echoed.</summary>
public class StorageSettingsTests
{
    [Fact]
    public async Task RefusesToStart_WithInvalidStorageSettings_ListingEveryError_WithoutThePassword()
    {
        var exception = await Record.ExceptionAsync(async () => await (await GatewayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Storage:Provider"] = "postgres",
            ["Gateway:Storage:Postgres:ConnectionString"] = "Host=db.internal;Username=gateway;Password=hunter2-canary",
            ["Gateway:Storage:Postgres:PasswordFile"] = "/nonexistent/postgres_password",
            ["Gateway:Storage:Postgres:Schema"] = "Gateway-Prod",
            ["Gateway:DataProtection:CertificatePath"] = "/nonexistent/dataprotection.crt",
            ["Gateway:Audit:Checkpoints:Store"] = "s3",
        })).DisposeAsync());

        var message = Assert.IsAssignableFrom<Exception>(exception).ToString();
        Assert.Contains("Gateway:Storage:Postgres:ConnectionString must not hold a password", message);
        Assert.Contains("Gateway:Storage:Postgres:PasswordFile (/nonexistent/postgres_password) does not exist.", message);
        Assert.Contains("Gateway:Storage:Postgres:Schema must be 1-63 characters", message);
        Assert.Contains("Gateway:DataProtection: set both CertificatePath and CertificateKeyPath", message);
        Assert.Contains("Gateway:Audit:Checkpoints:Store must be 'file' or 'postgres'.", message);
        Assert.DoesNotContain("hunter2-canary", message);
    }

    [Fact]
    public async Task RefusesToStart_WithSharedKeyStoreOrCheckpoints_ButNoSharedDatabase()
    {
        var exception = await Record.ExceptionAsync(async () => await (await GatewayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:DataProtection:KeyStore"] = "postgres",
            ["Gateway:Audit:Checkpoints:Store"] = "postgres",
        })).DisposeAsync());

        var message = Assert.IsAssignableFrom<Exception>(exception).ToString();
        Assert.Contains("Gateway:DataProtection:KeyStore 'postgres' needs Gateway:Storage:Provider 'postgres'", message);
        Assert.Contains("Gateway:Audit:Checkpoints:Store 'postgres' needs Gateway:Storage:Provider 'postgres'", message);
    }

    [Fact]
    public async Task RefusesToStart_WhenAnEncryptedSecretIsForAnotherCertificate()
    {
        var folder = Directory.CreateTempSubdirectory("gw-cert-").FullName;
        var (certificate, key) = WriteCertificate(folder, "current");
        var (other, _) = WriteCertificate(folder, "other");
        var secretFile = Path.Combine(folder, "dental.secret");
        File.WriteAllText(secretFile, EncryptedSecret.Encrypt(Encoding.UTF8.GetBytes(Convert.ToBase64String(GatewayHarness.DentalSecret)), X509Certificate2.CreateFromPem(File.ReadAllText(other))));

        var exception = await Record.ExceptionAsync(async () => await (await GatewayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:DataProtection:CertificatePath"] = certificate,
            ["Gateway:DataProtection:CertificateKeyPath"] = key,
            ["Gateway:Practices:0:PseudonymKeys:0:SecretFile"] = secretFile,
        })).DisposeAsync());

        Assert.Contains($"Gateway:Practices:0:PseudonymKeys:0:SecretFile ({secretFile}) is encrypted and it was encrypted for another certificate than the ones configured", Assert.IsAssignableFrom<Exception>(exception).ToString());
    }

    [Fact]
    public async Task EncryptedPseudonymSecret_IsReadWithTheCertificate_AndTheKeyRingIsEncryptedAtRest()
    {
        var folder = Directory.CreateTempSubdirectory("gw-cert-").FullName;
        var (certificate, key) = WriteCertificate(folder, "dataprotection");
        var secretFile = Path.Combine(folder, "dental.secret");
        File.WriteAllText(secretFile, EncryptedSecret.Encrypt(Encoding.UTF8.GetBytes(Convert.ToBase64String(GatewayHarness.DentalSecret)), X509Certificate2.CreateFromPem(File.ReadAllText(certificate))));

        await using var gateway = await GatewayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:DataProtection:CertificatePath"] = certificate,
            ["Gateway:DataProtection:CertificateKeyPath"] = key,
            ["Gateway:Practices:0:PseudonymKeys:0:Secret"] = null,
            ["Gateway:Practices:0:PseudonymKeys:0:SecretFile"] = secretFile,
        });

        using var client = gateway.Client(GatewayHarness.DentalPractice);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("track", Events.ServicePageViewed("enc-1"))).StatusCode);
        using var ring = new PseudonymKey("t0", GatewayHarness.DentalSecret, GatewayHarness.DentalPractice);
        Assert.Contains(Pseudonymizer.Pseudonymize(ring, "enc-1", IdentifierNormalization.Exact), gateway.Upstream.MessageIds);

        var keyXml = string.Concat(Directory.GetFiles(Path.Combine(gateway.DataPath, "keys"), "key-*.xml").Select(File.ReadAllText));
        Assert.Contains("EncryptedData", keyXml);
        Assert.DoesNotContain("<masterKey", keyXml);
    }

    private static (string Certificate, string Key) WriteCertificate(string folder, string name)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var certificatePath = Path.Combine(folder, name + ".crt");
        var keyPath = Path.Combine(folder, name + ".key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, rsa.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }
}
