using Gateway.Compliance.Baa;
using Gateway.Compliance.Classification;
using Gateway.Storage.Baa;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite;

/// <summary>The BAA registry on SQLite; append-only by triggers, like the consent ledger.</summary>
public sealed class SqliteBaaRegistry : IBaaRegistry
{
    private const string Store = "baa";

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

    private readonly SqliteDatabase _database;

    public SqliteBaaRegistry(SqliteDatabase database)
    {
        _database = database;
        SqliteMigrator.Migrate(database, "baa", s_migrations);
    }

    public async Task<BaaRecord> AppendAsync(BaaRecord record, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO baa_records (practice_id, destination, status, effective_from, expires_at, document_ref, covers, recorded_at, recorded_by)
                VALUES ($practice, $destination, $status, $from, $expires, $doc, $covers, $at, $by)
                RETURNING id;
                """;
            command.Parameters.AddWithValue("$practice", record.PracticeId);
            command.Parameters.AddWithValue("$destination", record.Destination);
            command.Parameters.AddWithValue("$status", record.Status == BaaStatus.Active ? "active" : "terminated");
            command.Parameters.AddWithValue("$from", record.EffectiveFrom.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$expires", (object?)record.ExpiresAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
            command.Parameters.AddWithValue("$doc", record.DocumentReference);
            command.Parameters.AddWithValue("$covers", string.Join(',', record.Covers.ToNames()));
            command.Parameters.AddWithValue("$at", record.RecordedAt.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$by", (object?)record.RecordedBy ?? DBNull.Value);
            var id = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
            return record with { Id = id };
        }
        catch (SqliteException ex)
        {
            throw new StoreUnavailableException(Store, ex);
        }
    }

    public Task<IReadOnlyList<BaaRecord>> CurrentAsync(string practiceId, CancellationToken cancellationToken = default) =>
        QueryAsync(practiceId, """
            SELECT b.id, b.practice_id, b.destination, b.status, b.effective_from, b.expires_at, b.document_ref, b.covers, b.recorded_at, b.recorded_by
            FROM baa_records b
            JOIN (SELECT MAX(id) AS id FROM baa_records WHERE practice_id = $practice GROUP BY destination) latest ON latest.id = b.id
            ORDER BY b.destination;
            """, cancellationToken);

    public Task<IReadOnlyList<BaaRecord>> HistoryAsync(string practiceId, CancellationToken cancellationToken = default) =>
        QueryAsync(practiceId, """
            SELECT id, practice_id, destination, status, effective_from, expires_at, document_ref, covers, recorded_at, recorded_by
            FROM baa_records WHERE practice_id = $practice ORDER BY id;
            """, cancellationToken);

    private async Task<IReadOnlyList<BaaRecord>> QueryAsync(string practiceId, string sql, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$practice", practiceId);
            var result = new List<BaaRecord>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                result.Add(new BaaRecord
                {
                    Id = reader.GetInt64(0),
                    PracticeId = reader.GetString(1),
                    Destination = reader.GetString(2),
                    Status = reader.GetString(3) == "active" ? BaaStatus.Active : BaaStatus.Terminated,
                    EffectiveFrom = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
                    ExpiresAt = reader.IsDBNull(5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                    DocumentReference = reader.GetString(6),
                    Covers = DataClassNames.Parse(reader.GetString(7).Split(',', StringSplitOptions.RemoveEmptyEntries)),
                    RecordedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8)),
                    RecordedBy = reader.IsDBNull(9) ? null : reader.GetString(9),
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
