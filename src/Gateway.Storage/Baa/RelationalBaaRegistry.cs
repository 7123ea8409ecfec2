using System.Data;
using System.Data.Common;
using Gateway.Compliance.Baa;
using Gateway.Compliance.Classification;
using Gateway.Storage.Postgres;
using Gateway.Storage.Relational;

namespace Gateway.Storage.Baa;

/// <summary>The BAA registry on either backend; append-only by triggers, like the consent ledger.</summary>
public sealed class RelationalBaaRegistry(RelationalDatabase database) : RelationalStore(database, "baa", Migrations(database)), IBaaRegistry
{
    private const string Columns = "id, practice_id, destination, status, effective_from, expires_at, document_ref, covers, recorded_at, recorded_by";

    private static readonly string[] s_sqlite =
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

    private static readonly string[] s_postgres =
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
            Add(c, "@practice", record.PracticeId);
            Add(c, "@destination", record.Destination);
            Add(c, "@status", record.Status == BaaStatus.Active ? "active" : "terminated");
            Add(c, "@from", Ms(record.EffectiveFrom));
            Add(c, "@expires", record.ExpiresAt?.ToUnixTimeMilliseconds(), DbType.Int64);
            Add(c, "@doc", record.DocumentReference);
            Add(c, "@covers", string.Join(',', record.Covers.ToNames()));
            Add(c, "@at", Ms(record.RecordedAt));
            Add(c, "@by", record.RecordedBy);
        }, cancellationToken);
        return record with { Id = Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture) };
    }

    /// <summary>The latest record per destination, destinations in ordinal order.</summary>
    public Task<IReadOnlyList<BaaRecord>> CurrentAsync(string practiceId, CancellationToken cancellationToken = default) =>
        QueryAsync($"""
            SELECT {Columns} FROM baa_records WHERE id IN
                (SELECT MAX(id) FROM baa_records WHERE practice_id = @practice GROUP BY destination)
            ORDER BY {Database.OrdinalOrder("destination")};
            """, c => Add(c, "@practice", practiceId), Read, cancellationToken);

    public Task<IReadOnlyList<BaaRecord>> HistoryAsync(string practiceId, CancellationToken cancellationToken = default) =>
        QueryAsync($"SELECT {Columns} FROM baa_records WHERE practice_id = @practice ORDER BY id;", c => Add(c, "@practice", practiceId), Read, cancellationToken);

    private static IReadOnlyList<string> Migrations(RelationalDatabase database) => database is PostgresDatabase ? s_postgres : s_sqlite;

    private static BaaRecord Read(DbDataReader reader) => new()
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
