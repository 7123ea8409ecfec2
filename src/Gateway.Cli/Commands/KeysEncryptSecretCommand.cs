using System.CommandLine;
using System.Text;
using Gateway.Cli.Support;
using Gateway.Compliance.Secrets;

namespace Gateway.Cli.Commands;

/// <summary>
/// <c>keys encrypt-secret</c>: encrypts a plain secret file (a pseudonym secret) to the Data Protection
/// certificate, so it rests encrypted and only the gateway, which holds the certificate's private key, reads
/// it. The plaintext is never printed; remove the plain file afterwards.
/// </summary>
internal static class KeysEncryptSecretCommand
{
    public static Command Build(CliConsole console)
    {
        var certificate = new Option<string>("--certificate") { Description = "The PEM certificate to encrypt to (the gateway's Gateway:DataProtection:CertificatePath).", Required = true };
        var input = new Option<string>("--in") { Description = "The plain secret file.", Required = true };
        var output = new Option<string>("--out") { Description = "The encrypted file to create (owner-only; never overwritten).", Required = true };
        var command = new Command("encrypt-secret", "Encrypt a secret file to the Data Protection certificate (CMS, RSA-OAEP + AES-256).") { certificate, input, output };
        command.SetAction(parse =>
        {
            var inputPath = parse.GetValue(input)!;
            if (!File.Exists(inputPath))
            {
                throw new UsageException($"The secret file '{inputPath}' does not exist.");
            }

            var content = File.ReadAllText(inputPath);
            if (EncryptedSecret.IsEncrypted(content))
            {
                throw new UsageException($"'{inputPath}' is already encrypted.");
            }

            var secret = content.Trim();
            if (secret.Length == 0)
            {
                throw new UsageException($"'{inputPath}' is empty.");
            }

            using var recipient = SecretFiles.LoadRecipient(parse.GetValue(certificate)!);
            var outputPath = parse.GetValue(output)!;
            SecretFiles.WriteNew(outputPath, EncryptedSecret.Encrypt(Encoding.UTF8.GetBytes(secret), recipient));
            console.Out.WriteLine($"wrote {outputPath}, encrypted to {recipient.Subject} ({recipient.Thumbprint}); remove the plain file '{inputPath}' once the gateway reads the new one");
            return ExitCodes.Success;
        });
        return command;
    }
}
