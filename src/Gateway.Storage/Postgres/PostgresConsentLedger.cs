using Gateway.Compliance.Consent;
using Gateway.Storage.Consent;
using Npgsql;

namespace Gateway.Storage.Postgres;

/// <summary>
/// The consent ledger on PostgreSQL, shared by every gateway instance: a revocation recorded through one
/// instance is read by all on their next event (no cache). Triggers refuse UPDATE, DELETE and TRUNCATE.
/// </summary>
public sealed class PostgresConsentLedger(PostgresDatabase database) : PostgresStore(database, "consent", s_migrations), IConsentLedger
{
    private const string Columns = "id, practice_id, subject, purpose, decision, source, source_ref, disclosure_sha256, recorded_at, expires_at, recorded_by";

    private static readonly string[] s_migrations =
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
    ];

    public Task<IReadOnlyList<ConsentRecord>> AppendAsync(IReadOnlyList<ConsentRecord> records, CancellationToken cancellationToken = default) =>
        InTransactionAsync<IReadOnlyList<ConsentRecord>>(async (connection, transaction) =>
        {
            var stored = new List<ConsentRecord>(records.Count);
            foreach (var record in records)
            {
                await using var command = Command(connection, transaction, """
                    INSERT INTO consent_records (practice_id, subject, purpose, decision, source, source_ref, disclosure_sha256, recorded_at, expires_at, recorded_by)
                    VALUES (@practice, @subject, @purpose, @decision, @source, @ref, @disclosure, @at, @expires, @by)
                    RETURNING id;
                    """, c =>
                {
                    c.Parameters.AddWithValue("practice", record.PracticeId);
                    c.Parameters.AddWithValue("subject", record.Subject);
                    c.Parameters.AddWithValue("purpose", record.Purpose);
                    c.Parameters.AddWithValue("decision", record.Decision == ConsentDecision.Granted ? "granted" : "revoked");
                    c.Parameters.AddWithValue("source", record.Source);
                    c.Parameters.AddWithValue("ref", NpgsqlTypes.NpgsqlDbType.Text, OrNull(record.SourceReference));
                    c.Parameters.AddWithValue("disclosure", NpgsqlTypes.NpgsqlDbType.Text, OrNull(record.DisclosureSha256));
                    c.Parameters.AddWithValue("at", Ms(record.RecordedAt));
                    c.Parameters.AddWithValue("expires", NpgsqlTypes.NpgsqlDbType.Bigint, OrNull(record.ExpiresAt?.ToUnixTimeMilliseconds()));
                    c.Parameters.AddWithValue("by", NpgsqlTypes.NpgsqlDbType.Text, OrNull(record.RecordedBy));
                });
                stored.Add(record with { Id = (long)(await command.ExecuteScalarAsync(cancellationToken))! });
            }

            return stored;
        }, cancellationToken);

    public Task<IReadOnlyList<ConsentRecord>> CurrentAsync(string practiceId, IReadOnlyCollection<string> subjects, CancellationToken cancellationToken = default) =>
        QueryAsync(practiceId, subjects, $"""
            SELECT {Columns} FROM (
                SELECT DISTINCT ON (subject, purpose) {Columns} FROM consent_records
                WHERE practice_id = @practice AND subject = ANY(@subjects)
                ORDER BY subject, purpose, id DESC
            ) latest ORDER BY id;
            """, cancellationToken);

    public Task<IReadOnlyList<ConsentRecord>> HistoryAsync(string practiceId, IReadOnlyCollection<string> subjects, CancellationToken cancellationToken = default) =>
        QueryAsync(practiceId, subjects, $"SELECT {Columns} FROM consent_records WHERE practice_id = @practice AND subject = ANY(@subjects) ORDER BY id;", cancellationToken);

    private async Task<IReadOnlyList<ConsentRecord>> QueryAsync(string practiceId, IReadOnlyCollection<string> subjects, string sql, CancellationToken cancellationToken)
    {
        if (subjects.Count == 0)
        {
            return [];
        }

        return await QueryAsync(sql, command =>
        {
            command.Parameters.AddWithValue("practice", practiceId);
            command.Parameters.AddWithValue("subjects", subjects.Distinct(StringComparer.Ordinal).ToArray());
        }, Read, cancellationToken);
    }

    private static ConsentRecord Read(NpgsqlDataReader reader) => new()
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
