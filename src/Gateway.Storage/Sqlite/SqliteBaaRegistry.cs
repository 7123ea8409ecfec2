using Gateway.Compliance.Baa;
using Gateway.Compliance.Classification;
using Gateway.Storage.Baa;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite;

/// <summary>The BAA registry on SQLite; append-only by triggers, like the consent ledger.</summary>
public sealed class SqliteBaaRegistry(SqliteDatabase database) : SqliteStore(database, "baa", s_migrations), IBaaRegistry
{
    private const string Columns = "id, practice_id, destination, status, effective_from, expires_at, document_ref, covers, recorded_at, recorded_by";

    private static readonly string[] s_migrations =
    [
        """
        CREATE TABLE baa_records (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            practice_id TEXT NOT NULL,
            destination TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('active', 'terminated')),
            effective_from INTEGER NOT NULL,
            expires_at INTEGER NULL,
            document_ref TEXT NOT NULL,
            covers TEXT NOT NULL,
            recorded_at INTEGER NOT NULL,
            recorded_by TEXT NULL
        );
        CREATE INDEX ix_baa_records_practice ON baa_records (practice_id, destination, id);
        CREATE TRIGGER baa_records_no_update BEFORE UPDATE ON baa_records BEGIN SELECT RAISE(ABORT, 'BAA records are append-only'); END;
        CREATE TRIGGER baa_records_no_delete BEFORE DELETE ON baa_records BEGIN SELECT RAISE(ABORT, 'BAA records are append-only'); END;
        """,
    ];

    public async Task<BaaRecord> AppendAsync(BaaRecord record, CancellationToken cancellationToken = default)
    {
        var id = await ScalarAsync("""
            INSERT INTO baa_records (practice_id, destination, status, effective_from, expires_at, document_ref, covers, recorded_at, recorded_by)
            VALUES ($practice, $destination, $status, $from, $expires, $doc, $covers, $at, $by)
            RETURNING id;
            """, c =>
        {
            c.Parameters.AddWithValue("$practice", record.PracticeId);
            c.Parameters.AddWithValue("$destination", record.Destination);
            c.Parameters.AddWithValue("$status", record.Status == BaaStatus.Active ? "active" : "terminated");
            c.Parameters.AddWithValue("$from", record.EffectiveFrom.ToUnixTimeMilliseconds());
            c.Parameters.AddWithValue("$expires", OrNull(record.ExpiresAt?.ToUnixTimeMilliseconds()));
            c.Parameters.AddWithValue("$doc", record.DocumentReference);
            c.Parameters.AddWithValue("$covers", string.Join(',', record.Covers.ToNames()));
            c.Parameters.AddWithValue("$at", record.RecordedAt.ToUnixTimeMilliseconds());
            c.Parameters.AddWithValue("$by", OrNull(record.RecordedBy));
        }, cancellationToken);
        return record with { Id = (long)id! };
    }

    public Task<IReadOnlyList<BaaRecord>> CurrentAsync(string practiceId, CancellationToken cancellationToken = default) =>
        QueryAsync($"""
            SELECT {Columns} FROM baa_records WHERE id IN
                (SELECT MAX(id) FROM baa_records WHERE practice_id = $practice GROUP BY destination)
            ORDER BY destination;
            """, c => c.Parameters.AddWithValue("$practice", practiceId), Read, cancellationToken);

    public Task<IReadOnlyList<BaaRecord>> HistoryAsync(string practiceId, CancellationToken cancellationToken = default) =>
        QueryAsync($"SELECT {Columns} FROM baa_records WHERE practice_id = $practice ORDER BY id;", c => c.Parameters.AddWithValue("$practice", practiceId), Read, cancellationToken);

    private static BaaRecord Read(SqliteDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        PracticeId = reader.GetString(1),
        Destination = reader.GetString(2),
        Status = reader.GetString(3) == "active" ? BaaStatus.Active : BaaStatus.Terminated,
        EffectiveFrom = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
        ExpiresAt = Time(reader, 5),
        DocumentReference = reader.GetString(6),
        Covers = DataClassNames.Parse(reader.GetString(7).Split(',', StringSplitOptions.RemoveEmptyEntries)),
        RecordedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8)),
        RecordedBy = Text(reader, 9),
    };
}
