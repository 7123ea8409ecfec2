using Gateway.Storage.Outbox;
using Npgsql;
using NpgsqlTypes;

namespace Gateway.Storage.Postgres;

/// <summary>
/// The outbox on PostgreSQL, drained by every gateway instance at once without delivering a batch twice:
/// a claim locks the head of a (practice, destination) group with <c>FOR UPDATE SKIP LOCKED</c> and sets the
/// lease columns in the same transaction, so a concurrent claimer skips that group instead of waiting for it
/// or taking it too. A group whose head is claimed or backed off, or that has any entry under an unexpired
/// lease, is skipped as a whole, which keeps delivery in order per group.
/// </summary>
public sealed class PostgresOutboxStore(PostgresDatabase database) : PostgresStore(database, "outbox", s_migrations), IOutboxStore
{
    private const string Columns = "id, practice_id, destination, cluster, subject, message_id, policy_name, policy_version, policy_sha256, event, enqueued_at, attempts, next_attempt_at, last_error";
    private const string Moved = "practice_id, destination, cluster, subject, message_id, policy_name, policy_version, policy_sha256, event, enqueued_at";

    private static readonly string[] s_migrations =
    [
        """
        CREATE TABLE outbox (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            practice_id text NOT NULL,
            destination text NOT NULL,
            cluster text NOT NULL,
            subject text NULL,
            message_id text NOT NULL,
            policy_name text NOT NULL,
            policy_version text NOT NULL,
            policy_sha256 text NOT NULL,
            event bytea NOT NULL,
            enqueued_at bigint NOT NULL,
            attempts integer NOT NULL DEFAULT 0,
            next_attempt_at bigint NOT NULL,
            last_error text NULL,
            claimed_by text NULL,
            claimed_until bigint NULL,
            CONSTRAINT ux_outbox_message UNIQUE (practice_id, destination, message_id)
        );
        CREATE INDEX ix_outbox_group ON outbox (practice_id, destination, id);
        CREATE TABLE dead_letters (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            practice_id text NOT NULL,
            destination text NOT NULL,
            cluster text NOT NULL,
            subject text NULL,
            message_id text NOT NULL,
            policy_name text NOT NULL,
            policy_version text NOT NULL,
            policy_sha256 text NOT NULL,
            event bytea NOT NULL,
            enqueued_at bigint NOT NULL,
            attempts integer NOT NULL,
            last_error text NULL,
            reason text NOT NULL,
            dead_at bigint NOT NULL
        );
        CREATE INDEX ix_dead_letters_practice ON dead_letters (practice_id, id);
        """,
        """
        CREATE TABLE outbox_delivered (
            id bigint PRIMARY KEY,
            practice_id text NOT NULL,
            destination text NOT NULL,
            cluster text NOT NULL,
            message_id text NOT NULL,
            instance text NOT NULL,
            delivered_at bigint NOT NULL,
            status integer NULL,
            attempt text NOT NULL
        );
        CREATE INDEX ix_outbox_delivered_instance ON outbox_delivered (instance, id);
        """,
    ];

    public Task<IReadOnlyList<OutboxEntry>> EnqueueAsync(IReadOnlyList<OutboxEntry> entries, OutboxClaim? claim = null, CancellationToken cancellationToken = default) =>
        InTransactionAsync<IReadOnlyList<OutboxEntry>>(async (connection, transaction) =>
        {
            var queued = new List<OutboxEntry>(entries.Count);
            await using var command = Command(connection, transaction, """
                INSERT INTO outbox (practice_id, destination, cluster, subject, message_id, policy_name, policy_version, policy_sha256, event, enqueued_at, attempts, next_attempt_at, last_error, claimed_by, claimed_until)
                VALUES (@practice, @destination, @cluster, @subject, @message, @pname, @pversion, @psha, @event, @enqueued, @attempts, @next, @error, @claimedBy, @claimedUntil)
                ON CONFLICT (practice_id, destination, message_id) DO NOTHING
                RETURNING id;
                """);
            foreach (var entry in entries)
            {
                command.Parameters.Clear();
                Bind(command, entry);
                command.Parameters.AddWithValue("claimedBy", NpgsqlDbType.Text, OrNull(claim?.Worker));
                command.Parameters.AddWithValue("claimedUntil", NpgsqlDbType.Bigint, claim is null ? DBNull.Value : Ms(claim.Until));
                if (await command.ExecuteScalarAsync(cancellationToken) is long id)
                {
                    queued.Add(entry with { Id = id });
                }
            }

            return queued;
        }, cancellationToken);

    public Task<IReadOnlyList<OutboxEntry>> ClaimAsync(string worker, DateTimeOffset now, int max, TimeSpan lease, CancellationToken cancellationToken = default) =>
        InTransactionAsync<IReadOnlyList<OutboxEntry>>(async (connection, transaction) =>
        {
            var nowMs = Ms(now);

            // The oldest due, unclaimed group head that no other transaction holds. SKIP LOCKED: a head another
            // worker is claiming right now is passed over (with its whole group), never waited for or taken twice.
            await using var heads = Command(connection, transaction, """
                SELECT o.practice_id, o.destination FROM outbox o
                WHERE o.id IN (SELECT MIN(id) FROM outbox GROUP BY practice_id, destination)
                  AND o.next_attempt_at <= @now AND (o.claimed_until IS NULL OR o.claimed_until <= @now)
                  AND NOT EXISTS (SELECT 1 FROM outbox c WHERE c.practice_id = o.practice_id AND c.destination = o.destination AND c.claimed_until > @now)
                ORDER BY o.id LIMIT 1
                FOR UPDATE OF o SKIP LOCKED;
                """, c => c.Parameters.AddWithValue("now", nowMs));
            string practice, destination;
            await using (var reader = await heads.ExecuteReaderAsync(cancellationToken))
            {
                if (!await reader.ReadAsync(cancellationToken))
                {
                    return [];
                }

                practice = reader.GetString(0);
                destination = reader.GetString(1);
            }

            var select = Command(connection, transaction, $"""
                SELECT {Columns} FROM outbox WHERE practice_id = @practice AND destination = @destination
                AND (claimed_until IS NULL OR claimed_until <= @now) ORDER BY id LIMIT @max
                FOR UPDATE;
                """, c =>
            {
                c.Parameters.AddWithValue("practice", practice);
                c.Parameters.AddWithValue("destination", destination);
                c.Parameters.AddWithValue("now", nowMs);
                c.Parameters.AddWithValue("max", max);
            });
            var entries = await ReadAllAsync(select, ReadEntry, cancellationToken);

            await using var claim = Command(connection, transaction, "UPDATE outbox SET claimed_by = @worker, claimed_until = @until WHERE id = ANY(@ids);", c =>
            {
                c.Parameters.AddWithValue("worker", worker);
                c.Parameters.AddWithValue("until", Ms(now + lease));
                c.Parameters.AddWithValue("ids", entries.Select(e => e.Id).ToArray());
            });
            await claim.ExecuteNonQueryAsync(cancellationToken);
            return entries;
        }, cancellationToken);

    public Task CompleteAsync(IReadOnlyList<long> ids, DeliveryReceipt? receipt = null, CancellationToken cancellationToken = default) =>
        ExecuteForIdsAsync(receipt is null ? "DELETE FROM outbox WHERE id = ANY(@ids);" : """
            WITH moved AS (DELETE FROM outbox WHERE id = ANY(@ids) RETURNING id, practice_id, destination, cluster, message_id)
            INSERT INTO outbox_delivered (id, practice_id, destination, cluster, message_id, instance, delivered_at, status, attempt)
            SELECT id, practice_id, destination, cluster, message_id, @instance, @at, @status, @attempt FROM moved
            ON CONFLICT (id) DO NOTHING;
            """, ids, command =>
        {
            if (receipt is not null)
            {
                command.Parameters.AddWithValue("instance", receipt.Instance);
                command.Parameters.AddWithValue("at", Ms(receipt.DeliveredAt));
                command.Parameters.AddWithValue("status", NpgsqlDbType.Integer, receipt.Status is { } status ? status : DBNull.Value);
                command.Parameters.AddWithValue("attempt", receipt.Attempt);
            }
        }, cancellationToken);

    public Task<IReadOnlyList<DeliveredEntry>> UnrecordedDeliveriesAsync(string instance, CancellationToken cancellationToken = default) =>
        QueryAsync("""
            SELECT id, practice_id, destination, cluster, message_id, instance, delivered_at, status, attempt
            FROM outbox_delivered WHERE instance = @instance ORDER BY id;
            """, c => c.Parameters.AddWithValue("instance", instance),
            r => new DeliveredEntry(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
                new DeliveryReceipt(r.GetString(5), At(r, 6), r.IsDBNull(7) ? null : r.GetInt32(7), r.GetString(8))), cancellationToken);

    public Task DeliveriesRecordedAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken = default) =>
        ExecuteForIdsAsync("DELETE FROM outbox_delivered WHERE id = ANY(@ids);", ids, null, cancellationToken);

    public Task RescheduleAsync(IReadOnlyList<long> ids, DateTimeOffset next, string error, CancellationToken cancellationToken = default) =>
        ExecuteForIdsAsync("UPDATE outbox SET attempts = attempts + 1, next_attempt_at = @next, last_error = @error, claimed_by = NULL, claimed_until = NULL WHERE id = ANY(@ids);", ids,
            command =>
            {
                command.Parameters.AddWithValue("next", Ms(next));
                command.Parameters.AddWithValue("error", error);
            }, cancellationToken);

    public Task DeadLetterAsync(IReadOnlyList<long> ids, string reason, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        ExecuteForIdsAsync($"""
            WITH moved AS (DELETE FROM outbox WHERE id = ANY(@ids) RETURNING id, {Moved}, attempts, last_error)
            INSERT INTO dead_letters ({Moved}, attempts, last_error, reason, dead_at)
            SELECT {Moved}, attempts + 1, last_error, @reason, @now FROM moved ORDER BY id;
            """, ids, command =>
        {
            command.Parameters.AddWithValue("reason", reason);
            command.Parameters.AddWithValue("now", Ms(now));
        }, cancellationToken);

    public Task<IReadOnlyList<PendingCount>> PendingAsync(CancellationToken cancellationToken = default) =>
        // Entries of an in-flight direct forward are being sent, not waiting: new events need not queue behind them.
        QueryAsync($"""
            SELECT practice_id, destination, COUNT(*), MIN(enqueued_at) FROM outbox
            WHERE claimed_by IS NULL OR claimed_by NOT LIKE '%{OutboxClaim.DirectSuffix}'
            GROUP BY practice_id, destination;
            """, _ => { },
            r => new PendingCount(r.GetString(0), r.GetString(1), r.GetInt64(2), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3))), cancellationToken);

    public Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(string practiceId, CancellationToken cancellationToken = default) =>
        QueryAsync("""
            SELECT id, practice_id, destination, cluster, subject, message_id, policy_name, policy_version, policy_sha256, event, enqueued_at, attempts, dead_at, last_error, reason
            FROM dead_letters WHERE practice_id = @practice ORDER BY id;
            """, c => c.Parameters.AddWithValue("practice", practiceId), r =>
        {
            var entry = ReadEntry(r);
            return new DeadLetter(entry, r.GetString(14), entry.NextAttemptAt);
        }, cancellationToken);

    public Task<bool> ReplayDeadLetterAsync(string practiceId, long id, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            await using var move = Command(connection, transaction, $"""
                WITH moved AS (DELETE FROM dead_letters WHERE id = @id AND practice_id = @practice RETURNING {Moved}),
                queued AS (
                    INSERT INTO outbox ({Moved}, attempts, next_attempt_at, last_error)
                    SELECT practice_id, destination, cluster, subject, message_id, policy_name, policy_version, policy_sha256, event, @now, 0, @now, NULL FROM moved
                    ON CONFLICT (practice_id, destination, message_id) DO NOTHING
                )
                SELECT COUNT(*) FROM moved;
                """, c =>
            {
                c.Parameters.AddWithValue("id", id);
                c.Parameters.AddWithValue("practice", practiceId);
                c.Parameters.AddWithValue("now", Ms(now));
            });
            return (long)(await move.ExecuteScalarAsync(cancellationToken))! > 0;
        }, cancellationToken);

    public Task<bool> DiscardDeadLetterAsync(string practiceId, long id, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            await using var delete = Command(connection, transaction, "DELETE FROM dead_letters WHERE id = @id AND practice_id = @practice;", c =>
            {
                c.Parameters.AddWithValue("id", id);
                c.Parameters.AddWithValue("practice", practiceId);
            });
            return await delete.ExecuteNonQueryAsync(cancellationToken) > 0;
        }, cancellationToken);

    private async Task ExecuteForIdsAsync(string sql, IReadOnlyList<long> ids, Action<NpgsqlCommand>? bind, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }

        await ExecuteAsync(sql, command =>
        {
            command.Parameters.AddWithValue("ids", ids.ToArray());
            bind?.Invoke(command);
        }, cancellationToken);
    }

    private static void Bind(NpgsqlCommand command, OutboxEntry entry)
    {
        command.Parameters.AddWithValue("practice", entry.PracticeId);
        command.Parameters.AddWithValue("destination", entry.Destination);
        command.Parameters.AddWithValue("cluster", entry.Cluster);
        command.Parameters.AddWithValue("subject", NpgsqlDbType.Text, OrNull(entry.Subject));
        command.Parameters.AddWithValue("message", entry.MessageId);
        command.Parameters.AddWithValue("pname", entry.PolicyName);
        command.Parameters.AddWithValue("pversion", entry.PolicyVersion);
        command.Parameters.AddWithValue("psha", entry.PolicySha256);
        command.Parameters.AddWithValue("event", entry.Event);
        command.Parameters.AddWithValue("enqueued", Ms(entry.EnqueuedAt));
        command.Parameters.AddWithValue("attempts", entry.Attempts);
        command.Parameters.AddWithValue("next", Ms(entry.NextAttemptAt));
        command.Parameters.AddWithValue("error", NpgsqlDbType.Text, OrNull(entry.LastError));
    }

    private static OutboxEntry ReadEntry(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        PracticeId = reader.GetString(1),
        Destination = reader.GetString(2),
        Cluster = reader.GetString(3),
        Subject = Text(reader, 4),
        MessageId = reader.GetString(5),
        PolicyName = reader.GetString(6),
        PolicyVersion = reader.GetString(7),
        PolicySha256 = reader.GetString(8),
        Event = reader.GetFieldValue<byte[]>(9),
        EnqueuedAt = At(reader, 10),
        Attempts = reader.GetInt32(11),
        NextAttemptAt = At(reader, 12),
        LastError = Text(reader, 13),
    };
}
