namespace Gateway.Server.Configuration;

/// <summary>
/// The gateway's settings (section <c>Gateway</c>). Validated at start by <see cref="GatewayOptionsValidator"/>,
/// which reports every problem at once; the gateway does not start on invalid settings.
/// </summary>
public sealed record GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>The folder holding one subfolder per vertical policy.</summary>
    public string PoliciesPath { get; init; } = "policies";

    /// <summary>Where the gateway keeps its state (audit files, keys, databases) unless a setting says otherwise.</summary>
    public string DataPath { get; init; } = "data/gateway";

    /// <summary>This instance's id, written into every audit record and audit file name.</summary>
    public string InstanceId { get; init; } = "gw-1";

    public IReadOnlyList<PracticeOptions> Practices { get; init; } = [];

    public AuditOptions Audit { get; init; } = new();

    public ForwardingOptions Forwarding { get; init; } = new();

    /// <summary>Ad-platform API versions and timeouts (docs/destinations.md).</summary>
    public PlatformOptions Platforms { get; init; } = new();

    public IngestLimitsOptions Limits { get; init; } = new();

    public StorageOptions Storage { get; init; } = new();

    public AdminOptions Admin { get; init; } = new();

    public OutboxOptions Outbox { get; init; } = new();

    public QuarantineOptions Quarantine { get; init; } = new();

    public DeduplicationOptions Deduplication { get; init; } = new();

    /// <summary>Kestrel limits against slow and oversized clients.</summary>
    public ConnectionOptions Connections { get; init; } = new();

    /// <summary>Per write key and per admin key rate limits.</summary>
    public RateLimitOptions RateLimit { get; init; } = new();

    public DataProtectionOptions DataProtection { get; init; } = new();
}

/// <summary>Delivery of events a destination could not take at once.</summary>
public sealed record OutboxOptions
{
    /// <summary>Events still undelivered after this long go to the dead letters.</summary>
    public double MaxAgeHours { get; init; } = 24;

    public int BatchSize { get; init; } = 100;

    public double MinBackoffSeconds { get; init; } = 1;

    public double MaxBackoffSeconds { get; init; } = 60;

    /// <summary>How long a claimed batch stays claimed before another worker may retry it.</summary>
    public double LeaseSeconds { get; init; } = 60;
}

/// <summary>
/// Retries of events already forwarded or queued (same practice and <c>messageId</c>) are acknowledged and audited as
/// duplicates instead of being disclosed again. On by default.
/// </summary>
public sealed record DeduplicationOptions
{
    public bool Enabled { get; init; } = true;

    /// <summary>How long a forwarded message id is remembered (hours, default 24: longer than SDKs keep retrying).</summary>
    public double WindowHours { get; init; } = 24;

    /// <summary>How long a message id being processed is held before a crashed request's claim is taken over.
    /// Longer than a forward (Forwarding:TimeoutSeconds) plus an outbox write.</summary>
    public double ClaimLeaseSeconds { get; init; } = 120;
}

/// <summary>Schema-invalid events kept (encrypted) for inspection and replay.</summary>
public sealed record QuarantineOptions
{
    public double RetentionDays { get; init; } = 30;
}

/// <summary>Where the consent ledger, BAA registry, outbox and quarantine live.</summary>
public sealed record StorageOptions
{
    /// <summary><c>sqlite</c> (default, one instance) or <c>postgres</c> (several instances).</summary>
    public string Provider { get; init; } = "sqlite";

    /// <summary>The SQLite file; default <c>{DataPath}/gateway.db</c>.</summary>
    public string? SqlitePath { get; init; }

    /// <summary>How long a write waits for a lock held by another writer before the store counts as unavailable.</summary>
    public int BusyTimeoutMs { get; init; } = 5000;

    /// <summary>
    /// Subjects whose current consent is kept in memory (default 100,000, about 20 MB; 0 reads the ledger for every
    /// subject). The cache is checked against the ledger's change feed on every request, so a revocation through any
    /// instance still applies to the next event (see <see cref="Gateway.Storage.Consent.CachedConsentLedger"/>).
    /// </summary>
    public int ConsentCacheSubjects { get; init; } = Gateway.Storage.Consent.CachedConsentLedger.DefaultCapacity;

    /// <summary>The shared database, when <see cref="Provider"/> is <c>postgres</c>.</summary>
    public PostgresOptions Postgres { get; init; } = new();
}

/// <summary>
/// The PostgreSQL database several gateway instances share (see docs/postgresql.md). The connection string
/// holds no password: it comes from <see cref="PasswordFile"/>. Use <c>SSL Mode=VerifyFull</c> off loopback.
/// </summary>
public sealed record PostgresOptions
{
    public const string DefaultSchema = "gateway";

    /// <summary>An Npgsql connection string without a password (Host, Database, Username, SSL Mode, Root Certificate).</summary>
    public string? ConnectionString { get; init; }

    /// <summary>A file holding only the database password.</summary>
    public string? PasswordFile { get; init; }

    /// <summary>The schema every gateway table lives in; created when missing.</summary>
    public string Schema { get; init; } = DefaultSchema;
}

/// <summary>
/// The ASP.NET Core Data Protection key ring (tokens, quarantine): where it is kept and how it is protected at
/// rest. Every instance sharing a store must use the same key store and certificate.
/// </summary>
public sealed record DataProtectionOptions
{
    public const string FileSystem = "filesystem";
    public const string Postgres = "postgres";

    /// <summary>PEM certificate (RSA) the key ring is encrypted with (<c>ProtectKeysWithCertificate</c>); also decrypts encrypted secret files.</summary>
    public string? CertificatePath { get; init; }

    /// <summary>The certificate's PEM private key.</summary>
    public string? CertificateKeyPath { get; init; }

    /// <summary>Certificates replaced by <see cref="CertificatePath"/>: still decrypt keys and secret files encrypted with them.</summary>
    public IReadOnlyList<CertificateOptions> RetiredCertificates { get; init; } = [];

    /// <summary><c>filesystem</c> (<c>{DataPath}/keys</c>; the default with SQLite) or <c>postgres</c> (shared; the default with PostgreSQL storage).</summary>
    public string? KeyStore { get; init; }

    /// <summary>The key store in effect for a storage provider.</summary>
    public string KeyStoreFor(string provider) => KeyStore ?? (provider == "postgres" ? Postgres : FileSystem);
}

/// <summary>A PEM certificate and its PEM private key.</summary>
public sealed record CertificateOptions
{
    public string? CertificatePath { get; init; }

    public string? CertificateKeyPath { get; init; }
}

/// <summary>The admin API: a separate surface with its own keys and roles.</summary>
public sealed record AdminOptions
{
    /// <summary>When set, admin endpoints answer only on this port and ingest endpoints never do (bind it to a private interface).</summary>
    public int? Port { get; init; }

    public IReadOnlyList<AdminKeyOptions> Keys { get; init; } = [];
}

/// <summary>One admin key: a name (recorded in audit records), its SHA-256 (never the key) and a role.</summary>
public sealed record AdminKeyOptions
{
    public string Name { get; init; } = string.Empty;

    public string Sha256 { get; init; } = string.Empty;

    /// <summary><c>admin</c> (writes consent and BAA records) or <c>compliance</c> (read-only).</summary>
    public string Role { get; init; } = string.Empty;
}

/// <summary>One practice (tenant): its write keys (as hashes), vertical, pseudonym keys and service area.</summary>
public sealed record PracticeOptions
{
    /// <summary>The practice id (an organization, not a person): 1-64 characters of [A-Za-z0-9_-].</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>The vertical policy folder its events go through.</summary>
    public string Vertical { get; init; } = string.Empty;

    /// <summary>Lower-case hex SHA-256 of each accepted write key (several during a rotation). Never the keys.</summary>
    public IReadOnlyList<string> WriteKeySha256 { get; init; } = [];

    /// <summary>HMAC keys; exactly one is active. Retired keys stay so old pseudonyms can still be searched.</summary>
    public IReadOnlyList<PseudonymKeyOptions> PseudonymKeys { get; init; } = [];

    /// <summary>ZIP3 or ZIP5 codes the practice serves (the <c>in_service_area</c> feature).</summary>
    public IReadOnlyList<string> ServiceArea { get; init; } = [];

    /// <summary>The practice's site hosts (e.g. <c>smile.example</c>): the only hosts besides the policy's own that a
    /// forwarded URL may name; any other host becomes <c>:host</c>.</summary>
    public IReadOnlyList<string> Domains { get; init; } = [];

    /// <summary>Values the practice adds to its policy's value sets, by set name (its locations, providers, app names).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Values { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The practice's ad-platform accounts, by the policy's destination name (<c>meta</c>, <c>google-ads</c>).
    /// An enabled ad destination sends nothing for a practice without one (<c>platform-account-missing</c>).</summary>
    public IReadOnlyDictionary<string, PlatformAccountOptions> Platforms { get; init; } = new Dictionary<string, PlatformAccountOptions>();
}

/// <summary>
/// One practice's account at an ad platform. Tokens are read from files when the gateway sends, so an external
/// refresher can rotate them (Google's OAuth access tokens live an hour); they are never logged or audited.
/// </summary>
public sealed record PlatformAccountOptions
{
    /// <summary>Meta: the pixel (dataset) id.</summary>
    public string? PixelId { get; init; }

    /// <summary>Meta: a <c>test_event_code</c> from Events Manager, so events are visible there and not counted.</summary>
    public string? TestEventCode { get; init; }

    /// <summary>Google: the customer id conversions are uploaded to (digits; dashes allowed).</summary>
    public string? CustomerId { get; init; }

    /// <summary>Google: the manager account id sent as <c>login-customer-id</c>, when access goes through one.</summary>
    public string? LoginCustomerId { get; init; }

    /// <summary>Google: the policy's conversion action keys to <c>customers/{id}/conversionActions/{id}</c>.</summary>
    public IReadOnlyDictionary<string, string> ConversionActions { get; init; } = new Dictionary<string, string>();

    /// <summary>A file holding the access token (Meta system-user token; Google OAuth access token).</summary>
    public string? AccessTokenFile { get; init; }

    /// <summary>Google: a file holding the developer token.</summary>
    public string? DeveloperTokenFile { get; init; }
}

/// <summary>Ad-platform API versions (bump when a platform retires one) and the request timeout.</summary>
public sealed record PlatformOptions
{
    /// <summary>Graph API version for Meta's Conversions API.</summary>
    public string MetaApiVersion { get; init; } = "v24.0";

    /// <summary>Google Ads API version.</summary>
    public string GoogleAdsApiVersion { get; init; } = "v22";

    public int TimeoutSeconds { get; init; } = 15;
}

/// <summary>One HMAC secret: given inline (base64) or, better, as a file path. At least 32 bytes.</summary>
public sealed record PseudonymKeyOptions
{
    public string Id { get; init; } = string.Empty;

    /// <summary>Base64 secret. Prefer <see cref="SecretFile"/> so the secret never sits in configuration files.</summary>
    public string? Secret { get; init; }

    /// <summary>A file holding the base64 secret, plain or encrypted to the Data Protection certificate
    /// (<c>gatewayctl keys encrypt-secret</c>: a <c>GATEWAY ENCRYPTED SECRET</c> PEM block).</summary>
    public string? SecretFile { get; init; }

    public bool Active { get; init; }

    /// <summary>True for a retired key that made pseudonyms before they were scoped to the practice (the secret used
    /// directly as the HMAC key), so old records can still be found. Never allowed on the active key.</summary>
    public bool Unscoped { get; init; }
}

/// <summary>Audit log settings. Defaults: fsync every group commit, 256 MB files, never deleted by the gateway.</summary>
public sealed record AuditOptions
{
    /// <summary>Folder of the audit files; default <c>{DataPath}/audit</c>.</summary>
    public string? Directory { get; init; }

    public int MaxFileMegabytes { get; init; } = 256;

    /// <summary>fsync each group before acknowledging. Only benchmarks turn this off.</summary>
    public bool SyncToDisk { get; init; } = true;

    /// <summary>Keep sealed audit files Zstandard-compressed (<c>.jsonl.zst</c>, the same lines; about a fifteenth of the size).
    /// The file being written is never compressed.</summary>
    public bool CompressSealedFiles { get; init; } = true;

    public AuditCheckpointOptions Checkpoints { get; init; } = new();
}

/// <summary>
/// Signed checkpoints of the audit chain's head (count + head hash), stored apart from the audit files, so
/// that records cut off the end of the chain are detected. See docs/audit-checkpoints.md for key custody.
/// </summary>
public sealed record AuditCheckpointOptions
{
    public const string FileStore = "file";
    public const string PostgresStore = "postgres";

    /// <summary><c>file</c> (default: <see cref="Directory"/>) or <c>postgres</c> (one table for every instance, in the storage database).</summary>
    public string Store { get; init; } = FileStore;

    /// <summary>On by default; turning it off leaves truncation of the chain's tail undetectable.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Folder of <c>checkpoints-{instance}.jsonl</c>; default <c>{DataPath}/checkpoints</c>. Must not be the audit folder.</summary>
    public string? Directory { get; init; }

    /// <summary>PKCS#8 PEM of the instance's ECDSA P-256 key; default <c>{DataPath}/checkpoint-keys/audit-checkpoint.pem</c>.
    /// Created on first start if missing, with its public key written next to it as <c>.pub.pem</c>.</summary>
    public string? SigningKeyFile { get; init; }

    /// <summary>Sign after this many new records.</summary>
    public long EveryRecords { get; init; } = Gateway.Compliance.Audit.CheckpointPolicy.DefaultEveryRecords;

    /// <summary>Sign when this many seconds have passed since the last checkpoint and the chain grew.</summary>
    public int EverySeconds { get; init; } = (int)Gateway.Compliance.Audit.CheckpointPolicy.DefaultEvery.TotalSeconds;
}

/// <summary>How scrubbed events reach destinations (YARP clusters from the <c>ReverseProxy</c> section).</summary>
public sealed record ForwardingOptions
{
    /// <summary>The bearer token sent to destinations (the scoring service stores only its hash).</summary>
    public string? Token { get; init; }

    /// <summary>A file holding the token.</summary>
    public string? TokenFile { get; init; }

    /// <summary>How long to wait for a destination before treating the attempt as failed.</summary>
    public int TimeoutSeconds { get; init; } = 10;

    /// <summary>Allow plain-HTTP destinations that are not loopback (development only).</summary>
    public bool AllowInsecureDestinations { get; init; }
}

/// <summary>Limits that protect the gateway (Segment's own limits by default).</summary>
public sealed record IngestLimitsOptions
{
    /// <summary>Segment's per-event limit.</summary>
    public int MaxEventBytes { get; init; } = Gateway.Compliance.Processing.EventProcessor.DefaultMaxEventBytes;

    /// <summary>Segment's per-batch limit (after decompression).</summary>
    public int MaxBatchBytes { get; init; } = 500 * 1024;

    public int MaxEventsPerBatch { get; init; } = 2500;

    /// <summary>Deepest JSON nesting accepted.</summary>
    public int MaxJsonDepth { get; init; } = 32;
}
