using System.Data;
using System.Data.Common;
using Gateway.Compliance.Consent;
using Gateway.Storage.Postgres;
using Gateway.Storage.Relational;

namespace Gateway.Storage.Consent;

/// <summary>
/// The consent ledger on either backend: append-only by construction (triggers refuse UPDATE and DELETE, and
/// TRUNCATE on PostgreSQL). On PostgreSQL it is shared by every gateway instance: a revocation recorded through
/// one instance is read by all on their next event.
/// <para>
/// It is also a commit-ordered change feed (<see cref="ChangesAsync"/>), which <see cref="CachedConsentLedger"/> reads
/// on every request: every append bumps its practice's row in <c>consent_versions</c> in the same transaction and
/// stamps its records with the new version. The row lock (on SQLite, its single writer) orders the appends of one
/// practice, so the records with a version up to N are exactly those committed before version N could be read.
/// </para>
/// </summary>
public sealed class RelationalConsentLedger(RelationalDatabase database) : RelationalStore(database, "consent", Migrations(database)), IConsentLedger
{
    private const string Columns = "id, practice_id, subject, purpose, decision, source, source_ref, disclosure_sha256, recorded_at, expires_at, recorded_by";

    private static readonly string[] s_sqlite =
    [
        """
        CREATE TABLE consent_records (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            practice_id TEXT NOT NULL,
            subject TEXT NOT NULL,
            purpose TEXT NOT NULL,
            decision TEXT NOT NULL CHECK (decision IN ('granted', 'revoked')),
            source TEXT NOT NULL,
            source_ref TEXT NULL,
            disclosure_sha256 TEXT NULL,
            recorded_at INTEGER NOT NULL,
            expires_at INTEGER NULL,
            recorded_by TEXT NULL
        );
        CREATE INDEX ix_consent_records_subject ON consent_records (practice_id, subject, purpose, id);
        CREATE TRIGGER consent_records_no_update BEFORE UPDATE ON consent_records BEGIN SELECT RAISE(ABORT, 'consent records are append-only'); END;
        CREATE TRIGGER consent_records_no_delete BEFORE DELETE ON consent_records BEGIN SELECT RAISE(ABORT, 'consent records are append-only'); END;
        """,
        """
        ALTER TABLE consent_records ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX ix_consent_records_version ON consent_records (practice_id, version);
        CREATE TABLE consent_versions (practice_id TEXT PRIMARY KEY, version INTEGER NOT NULL);
        """,
    ];

    private static readonly string[] s_postgres =
    [
        PostgresAppendOnly.Function + """
        CREATE TABLE consent_records (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            practice_id text NOT NULL,
            subject text NOT NULL,
            purpose text NOT NULL,
            decision text NOT NULL CHECK (decision IN ('granted', 'revoked')),
            source text NOT NULL,
            source_ref text NULL,
            disclosure_sha256 text NULL,
            recorded_at bigint NOT NULL,
            expires_at bigint NULL,
            recorded_by text NULL
        );
        CREATE INDEX ix_consent_records_subject ON consent_records (practice_id, subject, purpose, id);
        """ + PostgresAppendOnly.Triggers("consent_records", "consent"),
        """
        ALTER TABLE consent_records ADD COLUMN version bigint NOT NULL DEFAULT 0;
        CREATE INDEX ix_consent_records_version ON consent_records (practice_id, version);
        CREATE TABLE consent_versions (practice_id text PRIMARY KEY, version bigint NOT NULL);
        """,
    ];

    /// <summary>Appends the records and bumps each of their practices' versions, in one transaction.</summary>
    public Task<IReadOnlyList<ConsentRecord>> AppendAsync(IReadOnlyList<ConsentRecord> records, CancellationToken cancellationToken = default) =>
        InTransactionAsync<IReadOnlyList<ConsentRecord>>(async (connection, transaction) =>
        {
            // Practices in one order, so two instances appending for the same two practices cannot deadlock on their rows.
            var versions = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var practice in records.Select(r => r.PracticeId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                await using var bump = Command(connection, transaction, """
                    INSERT INTO consent_versions (practice_id, version) VALUES (@practice, 1)
                    ON CONFLICT (practice_id) DO UPDATE SET version = consent_versions.version + 1
                    RETURNING version;
                    """, c => Add(c, "@practice", practice));
                versions[practice] = Convert.ToInt64(await bump.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            }

            var stored = new List<ConsentRecord>(records.Count);
            foreach (var record in records)
            {
                await using var command = Command(connection, transaction, """
                    INSERT INTO consent_records (practice_id, subject, purpose, decision, source, source_ref, disclosure_sha256, recorded_at, expires_at, recorded_by, version)
                    VALUES (@practice, @subject, @purpose, @decision, @source, @ref, @disclosure, @at, @expires, @by, @version)
                    RETURNING id;
                    """, c =>
                {
                    Add(c, "@practice", record.PracticeId);
                    Add(c, "@subject", record.Subject);
                    Add(c, "@purpose", record.Purpose);
                    Add(c, "@decision", record.Decision == ConsentDecision.Granted ? "granted" : "revoked");
                    Add(c, "@source", record.Source);
                    Add(c, "@ref", record.SourceReference);
                    Add(c, "@disclosure", record.DisclosureSha256);
                    Add(c, "@at", Ms(record.RecordedAt));
                    Add(c, "@expires", record.ExpiresAt?.ToUnixTimeMilliseconds(), DbType.Int64);
                    Add(c, "@by", record.RecordedBy);
                    Add(c, "@version", versions[record.PracticeId]);
                });
                stored.Add(record with { Id = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) });
            }

            return stored;
        }, cancellationToken);

    /// <summary>
    /// The practice's current version (0 before its first append) and the subjects whose records changed after
    /// <paramref name="since"/>, up to that version; with <paramref name="since"/> null, the version only. One
    /// statement, so the version and the subjects come from one snapshot.
    /// </summary>
    public async Task<ConsentChanges> ChangesAsync(string practiceId, long? since, CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync("""
            SELECT v.version, r.subject FROM consent_versions v
            LEFT JOIN consent_records r ON r.practice_id = v.practice_id AND r.version > @since AND r.version <= v.version
            WHERE v.practice_id = @practice;
            """, c =>
        {
            Add(c, "@practice", practiceId);
            Add(c, "@since", since ?? long.MaxValue);
        }, r => (Version: r.GetInt64(0), Subject: Text(r, 1)), cancellationToken);
        if (rows.Count == 0)
        {
            return new ConsentChanges(0, []);
        }

        return new ConsentChanges(rows[0].Version, rows.Where(r => r.Subject is not null).Select(r => r.Subject!).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>The latest record per subject and purpose.</summary>
    public Task<IReadOnlyList<ConsentRecord>> CurrentAsync(string practiceId, IReadOnlyCollection<string> subjects, CancellationToken cancellationToken = default) =>
        QueryAsync(practiceId, subjects, anyOf => $"""
            SELECT {Columns} FROM consent_records WHERE id IN
                (SELECT MAX(id) FROM consent_records WHERE practice_id = @practice AND {anyOf} GROUP BY subject, purpose)
            ORDER BY id;
            """, cancellationToken);

    public Task<IReadOnlyList<ConsentRecord>> HistoryAsync(string practiceId, IReadOnlyCollection<string> subjects, CancellationToken cancellationToken = default) =>
        QueryAsync(practiceId, subjects, anyOf => $"SELECT {Columns} FROM consent_records WHERE practice_id = @practice AND {anyOf} ORDER BY id;", cancellationToken);

    private static IReadOnlyList<string> Migrations(RelationalDatabase database) => database is PostgresDatabase ? s_postgres : s_sqlite;

    private async Task<IReadOnlyList<ConsentRecord>> QueryAsync(string practiceId, IReadOnlyCollection<string> subjects, Func<string, string> sql, CancellationToken cancellationToken)
    {
        if (subjects.Count == 0)
        {
            return [];
        }

        return await QueryAsync(string.Empty, command =>
        {
            Add(command, "@practice", practiceId);
            command.CommandText = sql(Database.AnyOf(command, "subject", "subjects", subjects.Distinct(StringComparer.Ordinal).ToList()));
        }, Read, cancellationToken);
    }

    private static ConsentRecord Read(DbDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        PracticeId = reader.GetString(1),
        Subject = reader.GetString(2),
        Purpose = reader.GetString(3),
        Decision = reader.GetString(4) == "granted" ? ConsentDecision.Granted : ConsentDecision.Revoked,
        Source = reader.GetString(5),
        SourceReference = Text(reader, 6),
        DisclosureSha256 = Text(reader, 7),
        RecordedAt = At(reader, 8),
        ExpiresAt = Time(reader, 9),
        RecordedBy = Text(reader, 10),
    };
}
