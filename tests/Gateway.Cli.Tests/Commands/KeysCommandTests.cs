using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Gateway.Cli.Tests.Support;
using Gateway.Compliance.Secrets;
using Gateway.Compliance.Tests.TestSupport;

namespace Gateway.Cli.Tests.Commands;

public class KeysCommandTests : IDisposable
{
    private readonly TempDirectory _work = new("keys");

    public void Dispose() => _work.Dispose();

    private (string Certificate, string Key) Certificate(string name = "dataprotection")
    {
        using var rsa = RSA.Create(2048);
        using var certificate = new CertificateRequest($"CN={name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var certificatePath = Path.Combine(_work.Path, name + ".crt");
        var keyPath = Path.Combine(_work.Path, name + ".key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, rsa.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    private static byte[] Decrypt(string file, (string Certificate, string Key) pair)
    {
        using var certificate = CertificateFiles.TryLoad(pair.Certificate, pair.Key, out var error) ?? throw new InvalidOperationException(error);
        return Convert.FromBase64String(EncryptedSecret.ReadText(File.ReadAllText(file), [certificate]));
    }

    [Fact]
    public void NewSecret_Plain_Is32RandomBytes_OwnerOnly_AndNeverPrinted()
    {
        var file = Path.Combine(_work.Path, "dd2.secret");
        var result = Ctl.Run("keys", "new-secret", "--out", file);

        Assert.Equal(0, result.ExitCode);
        var secret = File.ReadAllText(file).Trim();
        Assert.Equal(32, Convert.FromBase64String(secret).Length);
        Assert.DoesNotContain(secret, result.All);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }

    [Fact]
    public void NewSecret_Encrypted_OnlyTheCertificatesKeyReadsIt()
    {
        var certificate = Certificate();
        var other = Certificate("other");
        var file = Path.Combine(_work.Path, "dd2.secret");

        Assert.Equal(0, Ctl.Run("keys", "new-secret", "--out", file, "--certificate", certificate.Certificate).ExitCode);

        Assert.StartsWith(EncryptedSecret.Header, File.ReadAllText(file), StringComparison.Ordinal);
        Assert.Equal(32, Decrypt(file, certificate).Length);
        var ex = Assert.Throws<EncryptedSecretException>(() => Decrypt(file, other));
        Assert.Contains("encrypted for another certificate", ex.Message);
    }

    [Fact]
    public void EncryptSecret_KeepsTheSecret_AndRefusesToOverwrite()
    {
        var certificate = Certificate();
        var plain = Path.Combine(_work.Path, "plain.secret");
        var secret = RandomNumberGenerator.GetBytes(32);
        File.WriteAllText(plain, Convert.ToBase64String(secret) + "\n");
        var encrypted = Path.Combine(_work.Path, "encrypted.secret");

        var result = Ctl.Run("keys", "encrypt-secret", "--certificate", certificate.Certificate, "--in", plain, "--out", encrypted);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(secret, Decrypt(encrypted, certificate));
        Assert.DoesNotContain(Convert.ToBase64String(secret), result.All + File.ReadAllText(encrypted));
        var again = Ctl.Run("keys", "encrypt-secret", "--certificate", certificate.Certificate, "--in", plain, "--out", encrypted);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("secrets are never overwritten", again.Error);
        Assert.Equal(2, Ctl.Run("keys", "encrypt-secret", "--certificate", certificate.Certificate, "--in", encrypted, "--out", encrypted + ".2").ExitCode);
    }

    [Fact]
    public void AuditVerify_RefusesPostgresCheckpointsWithAPasswordInTheConnectionString()
    {
        var audit = Directory.CreateDirectory(Path.Combine(_work.Path, "audit")).FullName;
        var result = Ctl.Run("audit", "verify", audit, "--checkpoints-postgres", "Host=db;Username=verifier;Password=hunter2-canary", "--public-key", audit);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--checkpoints-postgres must not hold a password: put it in the file named by --password-file.", result.Error);
        Assert.DoesNotContain("hunter2-canary", result.All);
    }
}
