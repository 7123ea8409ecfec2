using Gateway.Compliance.Baa;
using Gateway.Compliance.Classification;
using Gateway.Storage.Baa;
using Npgsql;
using NpgsqlTypes;

namespace Gateway.Storage.Postgres;

/// <summary>The BAA registry on PostgreSQL, shared by every gateway instance; append-only by triggers, like the consent ledger.</summary>
public sealed class PostgresBaaRegistry(PostgresDatabase database) : PostgresStore(database, "baa", s_migrations), IBaaRegistry
{
    private const string Columns = "id, practice_id, destination, status, effective_from, expires_at, document_ref, covers, recorded_at, recorded_by";

    private static readonly string[] s_migrations =
    [
        PostgresAppendOnly.Function + """
        CREATE TABLE baa_records (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            practice_id text NOT NULL,
            destination text NOT NULL,
            status text NOT NULL CHECK (status IN ('active', 'terminated')),
            effective_from bigint NOT NULL,
            expires_at bigint NULL,
            document_ref text NOT NULL,
            covers text NOT NULL,
            recorded_at bigint NOT NULL,
            recorded_by text NULL
        );
        CREATE INDEX ix_baa_records_practice ON baa_records (practice_id, destination, id);
        """ + PostgresAppendOnly.Triggers("baa_records", "BAA"),
    ];

    public async Task<BaaRecord> AppendAsync(BaaRecord record, CancellationToken cancellationToken = default)
    {
        var id = await ScalarAsync("""
            INSERT INTO baa_records (practice_id, destination, status, effective_from, expires_at, document_ref, covers, recorded_at, recorded_by)
            VALUES (@practice, @destination, @status, @from, @expires, @doc, @covers, @at, @by)
            RETURNING id;
            """, c =>
        {
            c.Parameters.AddWithValue("practice", record.PracticeId);
            c.Parameters.AddWithValue("destination", record.Destination);
            c.Parameters.AddWithValue("status", record.Status == BaaStatus.Active ? "active" : "terminated");
            c.Parameters.AddWithValue("from", Ms(record.EffectiveFrom));
            c.Parameters.AddWithValue("expires", NpgsqlDbType.Bigint, OrNull(record.ExpiresAt?.ToUnixTimeMilliseconds()));
            c.Parameters.AddWithValue("doc", record.DocumentReference);
            c.Parameters.AddWithValue("covers", string.Join(',', record.Covers.ToNames()));
            c.Parameters.AddWithValue("at", Ms(record.RecordedAt));
            c.Parameters.AddWithValue("by", NpgsqlDbType.Text, OrNull(record.RecordedBy));
        }, cancellationToken);
        return record with { Id = (long)id! };
    }

    public Task<IReadOnlyList<BaaRecord>> CurrentAsync(string practiceId, CancellationToken cancellationToken = default) =>
        QueryAsync($"""
            SELECT {Columns} FROM (
                SELECT DISTINCT ON (destination) {Columns} FROM baa_records WHERE practice_id = @practice ORDER BY destination, id DESC
            ) latest ORDER BY destination COLLATE "C";
            """, c => c.Parameters.AddWithValue("practice", practiceId), Read, cancellationToken);

    public Task<IReadOnlyList<BaaRecord>> HistoryAsync(string practiceId, CancellationToken cancellationToken = default) =>
        QueryAsync($"SELECT {Columns} FROM baa_records WHERE practice_id = @practice ORDER BY id;", c => c.Parameters.AddWithValue("practice", practiceId), Read, cancellationToken);

    private static BaaRecord Read(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        PracticeId = reader.GetString(1),
        Destination = reader.GetString(2),
        Status = reader.GetString(3) == "active" ? BaaStatus.Active : BaaStatus.Terminated,
        EffectiveFrom = At(reader, 4),
        ExpiresAt = Time(reader, 5),
        DocumentReference = reader.GetString(6),
        Covers = DataClassNames.Parse(reader.GetString(7).Split(',', StringSplitOptions.RemoveEmptyEntries)),
        RecordedAt = At(reader, 8),
        RecordedBy = Text(reader, 9),
    };
}
