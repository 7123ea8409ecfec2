using Gateway.Compliance.Consent;
using Gateway.Storage.Consent;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite;

/// <summary>The consent ledger on SQLite. Triggers refuse UPDATE and DELETE: the ledger is append-only by construction.</summary>
public sealed class SqliteConsentLedger(SqliteDatabase database) : SqliteStore(database, "consent", s_migrations), IConsentLedger
{
    private const string Columns = "id, practice_id, subject, purpose, decision, source, source_ref, disclosure_sha256, recorded_at, expires_at, recorded_by";

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

    public Task<IReadOnlyList<ConsentRecord>> AppendAsync(IReadOnlyList<ConsentRecord> records, CancellationToken cancellationToken = default) =>
        InTransactionAsync<IReadOnlyList<ConsentRecord>>(async (connection, transaction) =>
        {
            var stored = new List<ConsentRecord>(records.Count);
            foreach (var record in records)
            {
                await using var command = Command(connection, transaction, """
                    INSERT INTO consent_records (practice_id, subject, purpose, decision, source, source_ref, disclosure_sha256, recorded_at, expires_at, recorded_by)
                    VALUES ($practice, $subject, $purpose, $decision, $source, $ref, $disclosure, $at, $expires, $by)
                    RETURNING id;
                    """, c =>
                {
                    c.Parameters.AddWithValue("$practice", record.PracticeId);
                    c.Parameters.AddWithValue("$subject", record.Subject);
                    c.Parameters.AddWithValue("$purpose", record.Purpose);
                    c.Parameters.AddWithValue("$decision", record.Decision == ConsentDecision.Granted ? "granted" : "revoked");
                    c.Parameters.AddWithValue("$source", record.Source);
                    c.Parameters.AddWithValue("$ref", OrNull(record.SourceReference));
                    c.Parameters.AddWithValue("$disclosure", OrNull(record.DisclosureSha256));
                    c.Parameters.AddWithValue("$at", record.RecordedAt.ToUnixTimeMilliseconds());
                    c.Parameters.AddWithValue("$expires", OrNull(record.ExpiresAt?.ToUnixTimeMilliseconds()));
                    c.Parameters.AddWithValue("$by", OrNull(record.RecordedBy));
                });
                stored.Add(record with { Id = (long)(await command.ExecuteScalarAsync(cancellationToken))! });
            }

            return stored;
        }, cancellationToken);

    public Task<IReadOnlyList<ConsentRecord>> CurrentAsync(string practiceId, IReadOnlyCollection<string> subjects, CancellationToken cancellationToken = default) =>
        QueryAsync(practiceId, subjects, inList => $"""
            SELECT {Columns} FROM consent_records WHERE id IN
                (SELECT MAX(id) FROM consent_records WHERE practice_id = $practice AND subject IN ({inList}) GROUP BY subject, purpose)
            ORDER BY id;
            """, cancellationToken);

    public Task<IReadOnlyList<ConsentRecord>> HistoryAsync(string practiceId, IReadOnlyCollection<string> subjects, CancellationToken cancellationToken = default) =>
        QueryAsync(practiceId, subjects, inList => $"SELECT {Columns} FROM consent_records WHERE practice_id = $practice AND subject IN ({inList}) ORDER BY id;", cancellationToken);

    private async Task<IReadOnlyList<ConsentRecord>> QueryAsync(string practiceId, IReadOnlyCollection<string> subjects, Func<string, string> sql, CancellationToken cancellationToken)
    {
        if (subjects.Count == 0)
        {
            return [];
        }

        var inList = string.Empty;
        return await QueryAsync(string.Empty, command =>
        {
            command.Parameters.AddWithValue("$practice", practiceId);
            SqliteMigrator.AddIn(command, "s", subjects.Distinct(StringComparer.Ordinal), out inList);
            command.CommandText = sql(inList);
        }, Read, cancellationToken);
    }

    private static ConsentRecord Read(SqliteDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        PracticeId = reader.GetString(1),
        Subject = reader.GetString(2),
        Purpose = reader.GetString(3),
        Decision = reader.GetString(4) == "granted" ? ConsentDecision.Granted : ConsentDecision.Revoked,
        Source = reader.GetString(5),
        SourceReference = Text(reader, 6),
        DisclosureSha256 = Text(reader, 7),
        RecordedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8)),
        ExpiresAt = Time(reader, 9),
        RecordedBy = Text(reader, 10),
    };
}
