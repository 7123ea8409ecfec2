using Gateway.Compliance.Consent;
using Gateway.Storage.Consent;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite;

/// <summary>The consent ledger on SQLite. Triggers refuse UPDATE and DELETE: the ledger is append-only by construction.</summary>
public sealed class SqliteConsentLedger : IConsentLedger
{
    private const string Store = "consent";

    private static readonly string[] s_migrations =
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
    ];

    private readonly SqliteDatabase _database;

    public SqliteConsentLedger(SqliteDatabase database)
    {
        _database = database;
        SqliteMigrator.Migrate(database, "consent", s_migrations);
    }

    public async Task<IReadOnlyList<ConsentRecord>> AppendAsync(IReadOnlyList<ConsentRecord> records, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            var stored = new List<ConsentRecord>(records.Count);
            foreach (var record in records)
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = """
                    INSERT INTO consent_records (practice_id, subject, purpose, decision, source, source_ref, disclosure_sha256, recorded_at, expires_at, recorded_by)
                    VALUES ($practice, $subject, $purpose, $decision, $source, $ref, $disclosure, $at, $expires, $by)
                    RETURNING id;
                    """;
                command.Parameters.AddWithValue("$practice", record.PracticeId);
                command.Parameters.AddWithValue("$subject", record.Subject);
                command.Parameters.AddWithValue("$purpose", record.Purpose);
                command.Parameters.AddWithValue("$decision", record.Decision == ConsentDecision.Granted ? "granted" : "revoked");
                command.Parameters.AddWithValue("$source", record.Source);
                command.Parameters.AddWithValue("$ref", (object?)record.SourceReference ?? DBNull.Value);
                command.Parameters.AddWithValue("$disclosure", (object?)record.DisclosureSha256 ?? DBNull.Value);
                command.Parameters.AddWithValue("$at", record.RecordedAt.ToUnixTimeMilliseconds());
                command.Parameters.AddWithValue("$expires", (object?)record.ExpiresAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
                command.Parameters.AddWithValue("$by", (object?)record.RecordedBy ?? DBNull.Value);
                var id = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
                stored.Add(record with { Id = id });
            }

            await transaction.CommitAsync(cancellationToken);
            return stored;
        }
        catch (SqliteException ex)
        {
            throw new StoreUnavailableException(Store, ex);
        }
    }

    public Task<IReadOnlyList<ConsentRecord>> CurrentAsync(string practiceId, IReadOnlyCollection<string> subjects, CancellationToken cancellationToken = default) =>
        QueryAsync(practiceId, subjects, latestOnly: true, cancellationToken);

    public Task<IReadOnlyList<ConsentRecord>> HistoryAsync(string practiceId, IReadOnlyCollection<string> subjects, CancellationToken cancellationToken = default) =>
        QueryAsync(practiceId, subjects, latestOnly: false, cancellationToken);

    private async Task<IReadOnlyList<ConsentRecord>> QueryAsync(string practiceId, IReadOnlyCollection<string> subjects, bool latestOnly, CancellationToken cancellationToken)
    {
        if (subjects.Count == 0)
        {
            return [];
        }

        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.Parameters.AddWithValue("$practice", practiceId);
            SqliteMigrator.AddIn(command, "s", subjects.Distinct(StringComparer.Ordinal), out var inList);
            command.CommandText = latestOnly
                ? $"""
                    SELECT c.id, c.practice_id, c.subject, c.purpose, c.decision, c.source, c.source_ref, c.disclosure_sha256, c.recorded_at, c.expires_at, c.recorded_by
                    FROM consent_records c
                    JOIN (SELECT MAX(id) AS id FROM consent_records WHERE practice_id = $practice AND subject IN ({inList}) GROUP BY subject, purpose) latest ON latest.id = c.id
                    ORDER BY c.id;
                    """
                : $"""
                    SELECT id, practice_id, subject, purpose, decision, source, source_ref, disclosure_sha256, recorded_at, expires_at, recorded_by
                    FROM consent_records WHERE practice_id = $practice AND subject IN ({inList}) ORDER BY id;
                    """;
            var result = new List<ConsentRecord>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                result.Add(new ConsentRecord
                {
                    Id = reader.GetInt64(0),
                    PracticeId = reader.GetString(1),
                    Subject = reader.GetString(2),
                    Purpose = reader.GetString(3),
                    Decision = reader.GetString(4) == "granted" ? ConsentDecision.Granted : ConsentDecision.Revoked,
                    Source = reader.GetString(5),
                    SourceReference = reader.IsDBNull(6) ? null : reader.GetString(6),
                    DisclosureSha256 = reader.IsDBNull(7) ? null : reader.GetString(7),
                    RecordedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8)),
                    ExpiresAt = reader.IsDBNull(9) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(9)),
                    RecordedBy = reader.IsDBNull(10) ? null : reader.GetString(10),
                });
            }

            return result;
        }
        catch (SqliteException ex)
        {
            throw new StoreUnavailableException(Store, ex);
        }
    }
}
