using System.Globalization;
using Gateway.Compliance.Audit;
using Npgsql;

namespace Gateway.Storage.Postgres;

/// <summary>
/// Signed audit checkpoints of every gateway instance in one append-only table, so that
/// <c>gatewayctl audit verify --checkpoints-postgres</c> checks all instances' chains together. The signed time
/// is kept as the exact text that was signed (ISO 8601 round-trip, 100 ns), not as a rounded timestamp.
/// Triggers refuse UPDATE, DELETE and TRUNCATE.
/// </summary>
public sealed class PostgresCheckpointStore : PostgresStore, IAuditCheckpointStore
{
    public const string Table = "audit_checkpoints";

    private static readonly string[] s_migrations =
    [
        PostgresAppendOnly.Function + """
        CREATE TABLE audit_checkpoints (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            instance text NOT NULL,
            count bigint NOT NULL,
            head text NOT NULL,
            ts text NOT NULL,
            key_id text NOT NULL,
            sig text NOT NULL,
            stored_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX ix_audit_checkpoints_instance ON audit_checkpoints (instance, id);
        """ + PostgresAppendOnly.Triggers("audit_checkpoints", "audit checkpoint"),
    ];

    /// <summary>The store the gateway appends to: its table is created (migrated) when missing.</summary>
    public PostgresCheckpointStore(PostgresDatabase database)
        : base(database, "checkpoints", s_migrations)
    {
    }

    private PostgresCheckpointStore(PostgresDatabase database, bool migrate)
        : base(database, "checkpoints", s_migrations, migrate)
    {
    }

    /// <summary>A reader that never changes the schema (for <c>gatewayctl audit verify</c> with read-only credentials).</summary>
    public static PostgresCheckpointStore OpenForReading(PostgresDatabase database) => new(database, migrate: false);

    public Task AppendAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (!AuditFileNames.IsValidInstanceId(checkpoint.Instance))
        {
            throw new ArgumentException("The checkpoint's instance id is not valid.", nameof(checkpoint));
        }

        return ExecuteAsync("INSERT INTO audit_checkpoints (instance, count, head, ts, key_id, sig) VALUES (@instance, @count, @head, @ts, @key, @sig);", c =>
        {
            c.Parameters.AddWithValue("instance", checkpoint.Instance);
            c.Parameters.AddWithValue("count", checkpoint.Count);
            c.Parameters.AddWithValue("head", checkpoint.HeadHash);
            c.Parameters.AddWithValue("ts", checkpoint.Time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            c.Parameters.AddWithValue("key", checkpoint.KeyId);
            c.Parameters.AddWithValue("sig", checkpoint.Signature);
        }, cancellationToken);
    }

    public async Task<AuditCheckpoint?> GetLatestAsync(string instance, CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync("SELECT id, instance, count, head, ts, key_id, sig FROM audit_checkpoints WHERE instance = @instance ORDER BY id DESC LIMIT 1;",
            c => c.Parameters.AddWithValue("instance", instance), Read, cancellationToken);
        return rows.Count == 1 && rows[0].Checkpoint is { } checkpoint ? checkpoint : null;
    }

    public async Task<AuditCheckpointSet> ReadAllAsync(CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync("SELECT id, instance, count, head, ts, key_id, sig FROM audit_checkpoints ORDER BY id;", _ => { }, Read, cancellationToken);
        var source = $"{Database.Schema}.{Table}";
        var checkpoints = new List<StoredCheckpoint>();
        var problems = new List<AuditProblem>();
        foreach (var row in rows)
        {
            if (row.Checkpoint is { } checkpoint)
            {
                checkpoints.Add(new StoredCheckpoint(checkpoint, source, row.Id));
            }
            else
            {
                problems.Add(new AuditProblem(row.Instance, source, row.Id, null, $"the checkpoint is malformed ({row.Error})"));
            }
        }

        return new AuditCheckpointSet(checkpoints, problems);
    }

    private static Row Read(NpgsqlDataReader reader)
    {
        var id = reader.GetInt64(0);
        var instance = reader.GetString(1);
        var count = reader.GetInt64(2);
        var head = reader.GetString(3);
        var ts = reader.GetString(4);
        string? error = null;
        if (count < 1)
        {
            error = "'count' must be a positive integer";
        }
        else if (head.Length != 64 || !head.All(char.IsAsciiHexDigitLower))
        {
            error = "'head' must be 64 lower-case hex characters";
        }
        else if (!DateTimeOffset.TryParseExact(ts, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _))
        {
            error = "'ts' must be an ISO 8601 round-trip time";
        }

        if (error is not null)
        {
            return new Row(id, instance, null, error);
        }

        var time = DateTimeOffset.ParseExact(ts, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        return new Row(id, instance, new AuditCheckpoint(instance, count, head, time, reader.GetString(5), reader.GetString(6)), null);
    }

    private sealed record Row(long Id, string Instance, AuditCheckpoint? Checkpoint, string? Error);
}
