using Gateway.Compliance.Audit;
using Gateway.Server.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Server.Auditing;

/// <summary>
/// The gateway's checkpoint writer (or none when disabled): loads or creates the instance's signing key,
/// opens the checkpoint store and logs checkpoint failures. Disposed by the container after the audit log.
/// Outside Development the key must be configured and must not lie in the data, audit or checkpoint folders:
/// a key kept next to the log it vouches for lets whoever rewrites the log re-sign it.
/// </summary>
internal sealed partial class AuditCheckpointing : IDisposable
{
    private readonly AuditCheckpointSigner? _signer;

    private AuditCheckpointing(AuditCheckpointWriter? writer, AuditCheckpointSigner? signer, string auditDirectory, IAuditCheckpointStore? store = null, string? publicKeyFile = null)
    {
        Writer = writer;
        _signer = signer;
        AuditDirectory = auditDirectory;
        Store = store;
        PublicKeyFile = publicKeyFile;
    }

    public AuditCheckpointWriter? Writer { get; }

    /// <summary>This instance's audit folder.</summary>
    public string AuditDirectory { get; }

    /// <summary>Where the checkpoints are kept (null when checkpoints are disabled): the console verifies against it.</summary>
    public IAuditCheckpointStore? Store { get; }

    /// <summary>This instance's checkpoint public key (PEM).</summary>
    public string? PublicKeyFile { get; }

    public static AuditCheckpointing Start(IServiceProvider services, string contentRoot, string dataPath)
    {
        var gateway = services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        var options = gateway.Audit.Checkpoints;
        var logger = services.GetRequiredService<ILogger<AuditCheckpointing>>();
        var auditDirectory = Path.GetFullPath(Path.Combine(contentRoot, gateway.Audit.Directory ?? Path.Combine(dataPath, "audit")));
        if (!options.Enabled)
        {
            Log.Disabled(logger);
            return new AuditCheckpointing(null, null, auditDirectory);
        }

        var directory = Path.GetFullPath(Path.Combine(contentRoot, options.Directory ?? Path.Combine(dataPath, "checkpoints")));
        if (options.Store == AuditCheckpointOptions.FileStore && string.Equals(directory.TrimEnd(Path.DirectorySeparatorChar), auditDirectory.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
        {
            throw new InvalidOperationException("Gateway:Audit:Checkpoints:Directory must not be the audit folder: checkpoints are kept apart from what they vouch for.");
        }

        var development = services.GetRequiredService<IHostEnvironment>().IsDevelopment();
        if (options.SigningKeyFile is null && !development)
        {
            throw new InvalidOperationException("Gateway:Audit:Checkpoints:SigningKeyFile is required outside Development: keep the checkpoint signing key "
                + "outside the data and audit folders (a read-only secret mount), so that whoever can rewrite the audit log cannot re-sign it.");
        }

        var keyFile = Path.GetFullPath(Path.Combine(contentRoot, options.SigningKeyFile ?? Path.Combine(dataPath, "checkpoint-keys", "audit-checkpoint.pem")));
        if (!development && SigningKeyLocation.Problem(keyFile, [dataPath, auditDirectory, directory]) is { } problem)
        {
            throw new InvalidOperationException("Gateway:Audit:Checkpoints:SigningKeyFile " + problem);
        }

        var signer = AuditCheckpointSigner.LoadOrCreate(keyFile, out var created);
        if (created)
        {
            Log.KeyCreated(logger, signer.KeyId, AuditCheckpointKeys.PublicKeyPathFor(keyFile));
        }

        var policy = new CheckpointPolicy { EveryRecords = options.EveryRecords, Every = TimeSpan.FromSeconds(options.EverySeconds) };
        var store = Hosting.GatewayStorageRegistration.CheckpointStore(services, options, directory);
        var writer = AuditCheckpointWriter.StartAsync(store, signer, gateway.InstanceId, policy,
            services.GetRequiredService<TimeProvider>(), ex => Log.Failed(logger, ex.GetType().Name, ex.Message)).GetAwaiter().GetResult();
        return new AuditCheckpointing(writer, signer, auditDirectory, store, AuditCheckpointKeys.PublicKeyPathFor(keyFile));
    }

    public void Dispose()
    {
        Writer?.Dispose();
        _signer?.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Audit checkpoints are disabled: records cut off the end of the audit chain cannot be detected")]
        public static partial void Disabled(ILogger logger);

        [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "Created the audit checkpoint signing key {KeyId}; its public key is {PublicKeyFile}: copy it to the compliance officer's verification keys")]
        public static partial void KeyCreated(ILogger logger, string keyId, string publicKeyFile);

        [LoggerMessage(EventId = 1203, Level = LogLevel.Error, Message = "An audit checkpoint could not be written ({Error}): {Message}")]
        public static partial void Failed(ILogger logger, string error, string message);
    }
}
