using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using Gateway.Cli.Support;
using Gateway.Compliance.Secrets;

namespace Gateway.Cli.Commands;

/// <summary>
/// <c>keys new-secret</c>: 32 random bytes (base64) for a new pseudonym key, written owner-only to a new file,
/// plainly or (with <c>--certificate</c>) encrypted to the Data Protection certificate. The secret is never printed.
/// </summary>
internal static class KeysNewSecretCommand
{
    public const int SecretBytes = 32;

    public static Command Build(CliConsole console)
    {
        var output = new Option<string>("--out") { Description = "The file to create (owner-only; never overwritten).", Required = true };
        var certificate = new Option<string?>("--certificate") { Description = "Encrypt it to this PEM certificate (the gateway's Gateway:DataProtection:CertificatePath)." };
        var command = new Command("new-secret", "Generate a pseudonym secret (32 random bytes, base64) into a new file, plain or encrypted.") { output, certificate };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(output)!;
            var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(SecretBytes));
            var recipientPath = parse.GetValue(certificate);
            if (recipientPath is null)
            {
                SecretFiles.WriteNew(path, secret + "\n");
                console.Out.WriteLine($"wrote a new {SecretBytes}-byte secret to {path} (plain: keep it owner-only, or encrypt it with 'keys encrypt-secret')");
                return ExitCodes.Success;
            }

            using var recipient = SecretFiles.LoadRecipient(recipientPath);
            SecretFiles.WriteNew(path, EncryptedSecret.Encrypt(Encoding.UTF8.GetBytes(secret), recipient));
            console.Out.WriteLine($"wrote a new {SecretBytes}-byte secret to {path}, encrypted to {recipient.Subject} ({recipient.Thumbprint})");
            return ExitCodes.Success;
        });
        return command;
    }
}
