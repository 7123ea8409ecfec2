using System.Text.RegularExpressions;
using Gateway.Compliance.Audit;
using Gateway.Compliance.Pseudonyms;
using Gateway.Compliance.Secrets;
using Gateway.Storage.Postgres;
using Microsoft.Extensions.Options;

namespace Gateway.Server.Configuration;

/// <summary>
/// Checks <see cref="GatewayOptions"/> at start and reports every problem at once (never a secret's value).
/// Runs with <c>ValidateOnStart</c>, so the gateway does not start on invalid settings.
/// </summary>
internal sealed partial class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var errors = new List<string>();
        var root = ServiceHost.WorkingDirectory;
        using var certificates = DataProtectionCertificates.Load(options.DataProtection, root, errors);

        if (!AuditFileNames.IsValidInstanceId(options.InstanceId))
        {
            errors.Add("Gateway:InstanceId must be 1-40 characters of [A-Za-z0-9_-].");
        }

        if (options.Practices.Count == 0)
        {
            errors.Add("Gateway:Practices is empty: configure at least one practice (id, vertical, write key hash, pseudonym key).");
        }

        var practiceIds = new HashSet<string>(StringComparer.Ordinal);
        var secrets = new List<SharedPseudonymSecrets.ConfiguredSecret>();
        var writeKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Practices.Count; i++)
        {
            var practice = options.Practices[i];
            var at = $"Gateway:Practices:{i}";
            if (!PracticeId().IsMatch(practice.Id))
            {
                errors.Add($"{at}:Id must be 1-64 characters of [A-Za-z0-9_-].");
            }
            else if (!practiceIds.Add(practice.Id))
            {
                errors.Add($"{at}:Id '{practice.Id}' is used by two practices.");
            }

            if (string.IsNullOrWhiteSpace(practice.Vertical))
            {
                errors.Add($"{at}:Vertical is required (the name of a policy folder).");
            }

            if (practice.WriteKeySha256.Count == 0)
            {
                errors.Add($"{at}:WriteKeySha256 needs at least one write key hash.");
            }

            for (var k = 0; k < practice.WriteKeySha256.Count; k++)
            {
                var hash = practice.WriteKeySha256[k];
                if (!Sha256Hex().IsMatch(hash))
                {
                    errors.Add($"{at}:WriteKeySha256:{k} must be 64 lower-case hex characters (the SHA-256 of the write key, not the key).");
                }
                else if (!writeKeys.Add(hash))
                {
                    errors.Add($"{at}:WriteKeySha256:{k} is also configured for another practice or twice here.");
                }
            }

            if (practice.PseudonymKeys.Count(k => k.Active) != 1)
            {
                errors.Add($"{at}:PseudonymKeys must have exactly one key with Active = true.");
            }

            var keyIds = new HashSet<string>(StringComparer.Ordinal);
            for (var k = 0; k < practice.PseudonymKeys.Count; k++)
            {
                var key = practice.PseudonymKeys[k];
                var keyAt = $"{at}:PseudonymKeys:{k}";
                if (!PseudonymKey.IsValidId(key.Id))
                {
                    errors.Add($"{keyAt}:Id must be 1-32 characters of [A-Za-z0-9_-].");
                }
                else if (!keyIds.Add(key.Id))
                {
                    errors.Add($"{keyAt}:Id '{key.Id}' appears twice.");
                }

                if (key.Unscoped && key.Active)
                {
                    errors.Add($"{keyAt}: an Unscoped (legacy) key cannot be the active key: add a new key id as the active key and keep this one retired (SECURITY.md, pseudonym keys).");
                }

                string? secret;
                try
                {
                    secret = SecretReader.Read(key.Secret, key.SecretFile, root, certificates.All);
                }
                catch (EncryptedSecretException ex)
                {
                    errors.Add($"{keyAt}:SecretFile ({key.SecretFile}) is encrypted and {ex.Reason}: set Gateway:DataProtection:CertificatePath and CertificateKeyPath to the certificate it was encrypted for.");
                    continue;
                }

                if (secret is null)
                {
                    errors.Add($"{keyAt}: the secret is missing: set {SecretReader.Describe("Secret", key.SecretFile)}.");
                }
                else if (!TryDecodeSecret(secret, out var bytes) || bytes.Length < PseudonymKey.MinimumSecretBytes)
                {
                    errors.Add($"{keyAt}: the secret must be base64 of at least {PseudonymKey.MinimumSecretBytes} random bytes.");
                }
                else
                {
                    secrets.Add(new(practice.Id, key.Id, bytes));
                }
            }

            foreach (var zip in practice.ServiceArea)
            {
                if (!Zip().IsMatch(zip))
                {
                    errors.Add($"{at}:ServiceArea entries must be 3- or 5-digit ZIP codes.");
                    break;
                }
            }

            for (var d = 0; d < practice.Domains.Count; d++)
            {
                if (Uri.CheckHostName(practice.Domains[d].Trim()) != UriHostNameType.Dns || !practice.Domains[d].Contains('.'))
                {
                    errors.Add($"{at}:Domains:{d} must be a DNS host name such as smile.example (no scheme, path or IP address).");
                }
            }

            foreach (var (set, values) in practice.Values)
            {
                if (!ValueSetName().IsMatch(set) || values.Any(string.IsNullOrWhiteSpace))
                {
                    errors.Add($"{at}:Values:{set} must be named with [a-z0-9_] and hold non-empty values.");
                }
            }

            foreach (var (platform, account) in practice.Platforms)
            {
                ValidatePlatformAccount($"{at}:Platforms:{platform}", account, root, errors);
            }
        }

        foreach (var (first, second) in SharedPseudonymSecrets.Find(secrets))
        {
            errors.Add($"Gateway:Practices: practices '{first.PracticeId}' (key '{first.KeyId}') and '{second.PracticeId}' (key '{second.KeyId}') are configured with the same pseudonym secret; " +
                "each practice needs its own (gatewayctl keys new-secret).");
        }

        var token = SecretReader.Read(options.Forwarding.Token, options.Forwarding.TokenFile, root);
        if (token is null)
        {
            errors.Add($"Gateway:Forwarding: the destination token is missing: set {SecretReader.Describe("Gateway:Forwarding:Token", options.Forwarding.TokenFile)}.");
        }
        else if (token.Length < 24)
        {
            errors.Add("Gateway:Forwarding: the destination token must be at least 24 characters.");
        }

        if (options.Forwarding.TimeoutSeconds is < 1 or > 300)
        {
            errors.Add("Gateway:Forwarding:TimeoutSeconds must be between 1 and 300.");
        }

        if (options.Audit.MaxFileMegabytes is < 1 or > 4096)
        {
            errors.Add("Gateway:Audit:MaxFileMegabytes must be between 1 and 4096.");
        }

        ValidateStorage(options, root, errors);

        var adminNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Admin.Keys.Count; i++)
        {
            var key = options.Admin.Keys[i];
            var at = $"Gateway:Admin:Keys:{i}";
            if (!PracticeId().IsMatch(key.Name) || !adminNames.Add(key.Name))
            {
                errors.Add($"{at}:Name must be a unique name of 1-64 characters of [A-Za-z0-9_-].");
            }

            if (!Sha256Hex().IsMatch(key.Sha256))
            {
                errors.Add($"{at}:Sha256 must be 64 lower-case hex characters (the SHA-256 of the admin key, not the key).");
            }
            else if (writeKeys.Contains(key.Sha256))
            {
                errors.Add($"{at}:Sha256 is also a write key: admin keys must differ from write keys.");
            }

            if (key.Role is not ("admin" or "compliance"))
            {
                errors.Add($"{at}:Role must be 'admin' or 'compliance'.");
            }
        }

        if (options.Admin.Port is { } port && port is < 1 or > 65535)
        {
            errors.Add("Gateway:Admin:Port must be a TCP port (1-65535).");
        }

        var deduplication = options.Deduplication;
        if (deduplication.WindowHours is <= 0 or > 24 * 30 || deduplication.ClaimLeaseSeconds < options.Forwarding.TimeoutSeconds * 2)
        {
            errors.Add("Gateway:Deduplication: WindowHours between 0 and 720, ClaimLeaseSeconds at least twice Forwarding:TimeoutSeconds.");
        }

        var outbox = options.Outbox;
        if (outbox.MaxAgeHours <= 0 || outbox.BatchSize is < 1 or > Gateway.Compliance.Destinations.MetaConversionWriter.MaxEventsPerRequest || outbox.MinBackoffSeconds <= 0
            || outbox.MaxBackoffSeconds < outbox.MinBackoffSeconds || outbox.LeaseSeconds < 1)
        {
            errors.Add("Gateway:Outbox: MaxAgeHours > 0, BatchSize 1-1000, 0 < MinBackoffSeconds <= MaxBackoffSeconds, LeaseSeconds >= 1.");
        }

        if (options.Quarantine.RetentionDays <= 0)
        {
            errors.Add("Gateway:Quarantine:RetentionDays must be positive.");
        }

        if (options.Audit.Checkpoints is { Enabled: true } checkpoints && (checkpoints.EveryRecords < 1 || checkpoints.EverySeconds < 1))
        {
            errors.Add("Gateway:Audit:Checkpoints: EveryRecords and EverySeconds must be at least 1.");
        }

        var limits = options.Limits;
        if (limits.MaxEventBytes < 1024 || limits.MaxBatchBytes < limits.MaxEventBytes || limits.MaxEventsPerBatch < 1 || limits.MaxJsonDepth is < 8 or > 256)
        {
            errors.Add("Gateway:Limits: MaxEventBytes >= 1024, MaxBatchBytes >= MaxEventBytes, MaxEventsPerBatch >= 1 and MaxJsonDepth between 8 and 256.");
        }

        TrafficOptionsValidation.Validate(options, errors);

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateStorage(GatewayOptions options, string root, List<string> errors)
    {
        var provider = options.Storage.Provider;
        if (provider is not ("sqlite" or "postgres"))
        {
            errors.Add("Gateway:Storage:Provider must be 'sqlite' or 'postgres'.");
        }

        if (provider == "postgres")
        {
            var postgres = options.Storage.Postgres;
            errors.AddRange(PostgresConnectionSettings.Validate("Gateway:Storage:Postgres", postgres.ConnectionString, postgres.PasswordFile, postgres.Schema, root));
        }

        if (options.Storage.ConsentCacheSubjects < 0)
        {
            errors.Add("Gateway:Storage:ConsentCacheSubjects must be 0 (no cache) or more.");
        }

        var keyStore = options.DataProtection.KeyStoreFor(provider);
        if (keyStore is not (DataProtectionOptions.FileSystem or DataProtectionOptions.Postgres))
        {
            errors.Add("Gateway:DataProtection:KeyStore must be 'filesystem' or 'postgres'.");
        }
        else if (keyStore == DataProtectionOptions.Postgres && provider != "postgres")
        {
            errors.Add("Gateway:DataProtection:KeyStore 'postgres' needs Gateway:Storage:Provider 'postgres' (the key ring lives in the storage database).");
        }

        var checkpoints = options.Audit.Checkpoints;
        if (checkpoints.Store is not (AuditCheckpointOptions.FileStore or AuditCheckpointOptions.PostgresStore))
        {
            errors.Add("Gateway:Audit:Checkpoints:Store must be 'file' or 'postgres'.");
        }
        else if (checkpoints.Enabled && checkpoints.Store == AuditCheckpointOptions.PostgresStore && provider != "postgres")
        {
            errors.Add("Gateway:Audit:Checkpoints:Store 'postgres' needs Gateway:Storage:Provider 'postgres' (checkpoints are stored in the storage database).");
        }
    }

    internal static bool TryDecodeSecret(string text, out byte[] bytes)
    {
        bytes = [];
        try
        {
            bytes = Convert.FromBase64String(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>An account names either a Meta pixel or a Google customer, with the token the platform needs (a file that exists).</summary>
    private static void ValidatePlatformAccount(string at, PlatformAccountOptions account, string root, List<string> errors)
    {
        var meta = account.PixelId is not null;
        var google = account.CustomerId is not null;
        if (meta == google)
        {
            errors.Add($"{at}: set PixelId (Meta) or CustomerId and ConversionActions (Google), not both or neither.");
            return;
        }

        if (meta && !Digits().IsMatch(account.PixelId!))
        {
            errors.Add($"{at}:PixelId must be the pixel's digits.");
        }

        if (google)
        {
            var customer = account.CustomerId!.Replace("-", string.Empty, StringComparison.Ordinal);
            if (!Digits().IsMatch(customer) || (account.LoginCustomerId is { } login && !Digits().IsMatch(login.Replace("-", string.Empty, StringComparison.Ordinal))))
            {
                errors.Add($"{at}:CustomerId and LoginCustomerId must be Google Ads customer ids (digits, dashes allowed).");
            }

            if (account.ConversionActions.Count == 0)
            {
                errors.Add($"{at}:ConversionActions must map the policy's conversion keys to conversion actions.");
            }

            foreach (var (key, action) in account.ConversionActions)
            {
                if (!ConversionAction().IsMatch(action) || !action.StartsWith($"customers/{customer}/", StringComparison.Ordinal))
                {
                    errors.Add($"{at}:ConversionActions:{key} must be customers/{customer}/conversionActions/<id>.");
                }
            }

            if (!SecretFileExists(account.DeveloperTokenFile, root))
            {
                errors.Add($"{at}: the developer token is missing: set DeveloperTokenFile to a file that exists.");
            }
        }

        if (!SecretFileExists(account.AccessTokenFile, root))
        {
            errors.Add($"{at}: the access token is missing: set AccessTokenFile to a file that exists.");
        }
    }

    /// <summary>A token file that exists and is not empty (it may be encrypted: it is read when a request goes).</summary>
    private static bool SecretFileExists(string? file, string root) =>
        !string.IsNullOrWhiteSpace(file) && new FileInfo(SecretReader.PathOf(file, root)) is { Exists: true, Length: > 0 };

    [GeneratedRegex(@"^\d{1,20}$")]
    private static partial Regex Digits();

    [GeneratedRegex(@"^customers/\d{1,20}/conversionActions/\d{1,20}$")]
    private static partial Regex ConversionAction();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex PracticeId();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();

    [GeneratedRegex(@"^\d{3}(\d{2})?$")]
    private static partial Regex Zip();

    [GeneratedRegex("^[a-z0-9_]{1,64}$")]
    private static partial Regex ValueSetName();
}
