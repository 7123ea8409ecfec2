using System.Data.Common;
using Gateway.Storage.Postgres;
using Gateway.Storage.Relational;

namespace Gateway.Storage.Deduplication;

/// <summary>
/// <see cref="IMessageIdLedger"/> on PostgreSQL, shared by every instance: one row per (practice, message id) with its
/// state and the time of its last change. A claim inserts with <c>ON CONFLICT DO NOTHING</c> and takes over a stale row
/// with a conditional update, so two instances racing for one id never both win. Holds message ids only (pseudonyms of
/// SDK-made random ids, never event content). One instance on SQLite uses <see cref="SqliteMessageIdLedger"/>.
/// </summary>
public sealed class PostgresMessageIdLedger(PostgresDatabase database) : RelationalStore(database, "deduplication", s_postgres), IMessageIdLedger
{
    private const string Claimed = "claimed";
    private const string Done = "done";

    private static readonly string[] s_postgres =
    [
        """
        CREATE TABLE message_ids (
            practice_id text NOT NULL,
            message_id text NOT NULL,
            state text NOT NULL CHECK (state IN ('claimed', 'done')),
            changed_at bigint NOT NULL,
            owner text NOT NULL,
            PRIMARY KEY (practice_id, message_id)
        );
        CREATE INDEX ix_message_ids_changed ON message_ids (changed_at);
        """,
    ];

    public Task<IReadOnlyDictionary<string, MessageIdClaim>> ClaimAsync(string practiceId, IReadOnlyCollection<string> messageIds, string owner, DateTimeOffset now,
        TimeSpan window, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        if (messageIds.Count == 0)
        {
            return Task.FromResult<IReadOnlyDictionary<string, MessageIdClaim>>(new Dictionary<string, MessageIdClaim>());
        }

        return InTransactionAsync<IReadOnlyDictionary<string, MessageIdClaim>>(async (connection, transaction) =>
        {
            var existing = new Dictionary<string, (string State, long ChangedAt)>(StringComparer.Ordinal);
            await using (var select = Command(connection, transaction, string.Empty))
            {
                Add(select, "@practice", practiceId);
                select.CommandText = $"SELECT message_id, state, changed_at FROM message_ids WHERE practice_id = @practice AND {Database.AnyOf(select, "message_id", "ids", messageIds)};";
                await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    existing[reader.GetString(0)] = (reader.GetString(1), reader.GetInt64(2));
                }
            }

            var result = new Dictionary<string, MessageIdClaim>(messageIds.Count, StringComparer.Ordinal);

            // Every new id in one statement (one round trip, not one per event), inserted in ordinal order, so two
            // instances claiming overlapping ids lock rows in the same order. An id another instance inserted
            // meanwhile is not returned: that claim is theirs.
            var fresh = messageIds.Where(id => !existing.ContainsKey(id)).Order(StringComparer.Ordinal).ToArray();
            if (fresh.Length > 0)
            {
                var inserted = new HashSet<string>(StringComparer.Ordinal);
                await using (var insert = Command(connection, transaction, """
                    INSERT INTO message_ids (practice_id, message_id, state, changed_at, owner)
                    SELECT @practice, t.id, @claimed, @now, @owner FROM unnest(@ids) WITH ORDINALITY AS t(id, n) ORDER BY t.n
                    ON CONFLICT DO NOTHING
                    RETURNING message_id;
                    """, c =>
                {
                    Add(c, "@practice", practiceId);
                    Add(c, "@claimed", Claimed);
                    Add(c, "@now", Ms(now));
                    Add(c, "@owner", owner);
                    Add(c, "@ids", fresh);
                }))
                {
                    await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        inserted.Add(reader.GetString(0));
                    }
                }

                foreach (var id in fresh)
                {
                    result[id] = inserted.Contains(id) ? MessageIdClaim.Claimed : MessageIdClaim.InFlight;
                }
            }

            foreach (var (id, row) in existing.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                var age = TimeSpan.FromMilliseconds(Ms(now) - row.ChangedAt);
                if (row.State == Done && age < window)
                {
                    result[id] = MessageIdClaim.Duplicate;
                }
                else if (row.State == Claimed && age < lease)
                {
                    result[id] = MessageIdClaim.InFlight;
                }
                else
                {
                    // A claim left by a crashed request, or a completion older than the window: taken over, unless another
                    // instance took it first.
                    result[id] = await ExecuteAsync(connection, transaction,
                        "UPDATE message_ids SET state = @claimed, changed_at = @now, owner = @owner WHERE practice_id = @practice AND message_id = @id AND state = @state AND changed_at = @changed;",
                        practiceId, id, now, cancellationToken, c =>
                        {
                            Add(c, "@owner", owner);
                            Add(c, "@state", row.State);
                            Add(c, "@changed", row.ChangedAt);
                        }) == 1 ? MessageIdClaim.Claimed : MessageIdClaim.InFlight;
                }
            }

            return result;
        }, cancellationToken);
    }

    public Task CompleteAsync(string practiceId, IReadOnlyCollection<string> messageIds, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        ChangeClaimedAsync(practiceId, messageIds, "UPDATE message_ids SET state = 'done', changed_at = @now", c => Add(c, "@now", Ms(now)), cancellationToken);

    public Task ReleaseAsync(string practiceId, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken = default) =>
        ChangeClaimedAsync(practiceId, messageIds, "DELETE FROM message_ids", null, cancellationToken);

    public Task<int> ReleaseAbandonedAsync(string owner, DateTimeOffset before, CancellationToken cancellationToken = default) =>
        ExecuteAsync("DELETE FROM message_ids WHERE owner = @owner AND state = @claimed AND changed_at < @before;", c =>
        {
            Add(c, "@owner", owner);
            Add(c, "@claimed", Claimed);
            Add(c, "@before", Ms(before));
        }, cancellationToken);

    public Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        ExecuteAsync("DELETE FROM message_ids WHERE changed_at < @before;", c => Add(c, "@before", Ms(before)), cancellationToken);

    private async Task ChangeClaimedAsync(string practiceId, IReadOnlyCollection<string> messageIds, string change, Action<DbCommand>? bind, CancellationToken cancellationToken)
    {
        if (messageIds.Count == 0)
        {
            return;
        }

        await ExecuteAsync(string.Empty, command =>
        {
            Add(command, "@practice", practiceId);
            Add(command, "@claimed", Claimed);
            bind?.Invoke(command);
            command.CommandText = $"{change} WHERE practice_id = @practice AND state = @claimed AND {Database.AnyOf(command, "message_id", "ids", messageIds)};";
        }, cancellationToken);
    }

    private static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, string practiceId, string id, DateTimeOffset now,
        CancellationToken cancellationToken, Action<DbCommand>? bind = null)
    {
        await using var command = Command(connection, transaction, sql, c => Bind(c, practiceId, id, now, bind));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Bind(DbCommand command, string practiceId, string id, DateTimeOffset now, Action<DbCommand>? bind)
    {
        Add(command, "@practice", practiceId);
        Add(command, "@id", id);
        Add(command, "@claimed", Claimed);
        Add(command, "@now", Ms(now));
        bind?.Invoke(command);
    }
}
