using Gateway.Storage.Relational;
using Npgsql;

namespace Gateway.Storage.Postgres;

/// <summary>
/// <see cref="RelationalStore"/> on PostgreSQL with Npgsql's own types, for stores written for PostgreSQL alone (the
/// outbox's <c>FOR UPDATE SKIP LOCKED</c> claim, checkpoints, the key ring): migrations at construction (under the
/// schema's advisory lock), pooled connections, and every failure to reach or use the database as
/// <see cref="StoreUnavailableException"/> naming the store.
/// </summary>
public abstract class PostgresStore : RelationalStore<NpgsqlConnection, NpgsqlTransaction, NpgsqlCommand, NpgsqlDataReader>
{
    protected PostgresStore(PostgresDatabase database, string store, IReadOnlyList<string> migrations)
        : this(database, store, migrations, migrate: true)
    {
    }

    /// <param name="migrate">False for readers that must not change the schema (a verifier with read-only credentials).</param>
    protected PostgresStore(PostgresDatabase database, string store, IReadOnlyList<string> migrations, bool migrate)
        : base(database, store, migrations, migrate)
    {
        Database = database;
    }

    protected new PostgresDatabase Database { get; }
}
