using Gateway.Storage.Outbox;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite;

/// <summary>The outbox on SQLite (WAL, synchronous=FULL: an enqueued event survives a crash or power loss).</summary>
public sealed class SqliteOutboxStore(SqliteDatabase database) : SqliteStore(database, "outbox", s_migrations), IOutboxStore
{
    private const string Columns = "id, practice_id, destination, cluster, subject, message_id, policy_name, policy_version, policy_sha256, event, enqueued_at, attempts, next_attempt_at, last_error";

    private static readonly string[] s_migrations =
    [
        """
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            practice_id TEXT NOT NULL,
            destination TEXT NOT NULL,
            cluster TEXT NOT NULL,
            subject TEXT NULL,
            message_id TEXT NOT NULL,
            policy_name TEXT NOT NULL,
            policy_version TEXT NOT NULL,
            policy_sha256 TEXT NOT NULL,
            event BLOB NOT NULL,
            enqueued_at INTEGER NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            last_error TEXT NULL,
            claimed_by TEXT NULL,
            claimed_until INTEGER NULL,
            UNIQUE (practice_id, destination, message_id)
        );
        CREATE INDEX ix_outbox_group ON outbox (practice_id, destination, id);
        CREATE TABLE dead_letters (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            practice_id TEXT NOT NULL,
            destination TEXT NOT NULL,
            cluster TEXT NOT NULL,
            subject TEXT NULL,
            message_id TEXT NOT NULL,
            policy_name TEXT NOT NULL,
            policy_version TEXT NOT NULL,
            policy_sha256 TEXT NOT NULL,
            event BLOB NOT NULL,
            enqueued_at INTEGER NOT NULL,
            attempts INTEGER NOT NULL,
            last_error TEXT NULL,
            reason TEXT NOT NULL,
            dead_at INTEGER NOT NULL
        );
        CREATE INDEX ix_dead_letters_practice ON dead_letters (practice_id, id);
        """,
        """
        CREATE TABLE outbox_delivered (
            id INTEGER PRIMARY KEY,
            practice_id TEXT NOT NULL,
            destination TEXT NOT NULL,
            cluster TEXT NOT NULL,
            message_id TEXT NOT NULL,
            instance TEXT NOT NULL,
            delivered_at INTEGER NOT NULL,
            status INTEGER NULL,
            attempt TEXT NOT NULL
        );
        CREATE INDEX ix_outbox_delivered_instance ON outbox_delivered (instance, id);
        """,
    ];

    public Task<IReadOnlyList<OutboxEntry>> EnqueueAsync(IReadOnlyList<OutboxEntry> entries, OutboxClaim? claim = null, CancellationToken cancellationToken = default) =>
        InTransactionAsync<IReadOnlyList<OutboxEntry>>(async (connection, transaction) =>
        {
            var queued = new List<OutboxEntry>(entries.Count);
            // One command for every entry: SQLite prepares the statement once and only the values change.
            await using var command = Command(connection, transaction, $"""
                INSERT OR IGNORE INTO outbox (practice_id, destination, cluster, subject, message_id, policy_name, policy_version, policy_sha256, event, enqueued_at, attempts, next_attempt_at, last_error, claimed_by, claimed_until)
                VALUES ($practice, $destination, $cluster, $subject, $message, $pname, $pversion, $psha, $event, $enqueued, $attempts, $next, $error, $claimedBy, $claimedUntil)
                RETURNING id;
                """);
            foreach (var entry in entries)
            {
                command.Parameters.Clear();
                Bind(command, entry);
                command.Parameters.AddWithValue("$claimedBy", OrNull(claim?.Worker));
                command.Parameters.AddWithValue("$claimedUntil", claim is null ? DBNull.Value : claim.Until.ToUnixTimeMilliseconds());
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
            var nowMs = now.ToUnixTimeMilliseconds();
            await using var heads = Command(connection, transaction, """
                SELECT o.practice_id, o.destination FROM outbox o
                JOIN (SELECT MIN(id) AS id FROM outbox GROUP BY practice_id, destination) h ON h.id = o.id
                WHERE o.next_attempt_at <= $now AND (o.claimed_until IS NULL OR o.claimed_until <= $now)
                ORDER BY o.id LIMIT 1;
                """);
            heads.Parameters.AddWithValue("$now", nowMs);
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
                SELECT {Columns} FROM outbox WHERE practice_id = $practice AND destination = $destination
                AND (claimed_until IS NULL OR claimed_until <= $now) ORDER BY id LIMIT $max;
                """);
            select.Parameters.AddWithValue("$practice", practice);
            select.Parameters.AddWithValue("$destination", destination);
            select.Parameters.AddWithValue("$now", nowMs);
            select.Parameters.AddWithValue("$max", max);
            var entries = await ReadAllAsync(select, ReadEntry, cancellationToken);

            await using var claim = Command(connection, transaction, string.Empty);
            AddIn(claim, "i", entries.Select(e => e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), out var ids);
            claim.CommandText = $"UPDATE outbox SET claimed_by = $worker, claimed_until = $until WHERE id IN ({ids});";
            claim.Parameters.AddWithValue("$worker", worker);
            claim.Parameters.AddWithValue("$until", (now + lease).ToUnixTimeMilliseconds());
            await claim.ExecuteNonQueryAsync(cancellationToken);
            return entries;
        }, cancellationToken);

    public Task CompleteAsync(IReadOnlyList<long> ids, DeliveryReceipt? receipt = null, CancellationToken cancellationToken = default) =>
        ExecuteForIdsAsync(receipt is null ? "DELETE FROM outbox WHERE id IN ({0});" : """
            INSERT OR REPLACE INTO outbox_delivered (id, practice_id, destination, cluster, message_id, instance, delivered_at, status, attempt)
            SELECT id, practice_id, destination, cluster, message_id, $instance, $at, $status, $attempt FROM outbox WHERE id IN ({0});
            DELETE FROM outbox WHERE id IN ({0});
            """, ids, command =>
        {
            if (receipt is not null)
            {
                command.Parameters.AddWithValue("$instance", receipt.Instance);
                command.Parameters.AddWithValue("$at", receipt.DeliveredAt.ToUnixTimeMilliseconds());
                command.Parameters.AddWithValue("$status", receipt.Status is { } status ? status : DBNull.Value);
                command.Parameters.AddWithValue("$attempt", receipt.Attempt);
            }
        }, cancellationToken);

    public Task<IReadOnlyList<DeliveredEntry>> UnrecordedDeliveriesAsync(string instance, CancellationToken cancellationToken = default) =>
        InTransactionAsync<IReadOnlyList<DeliveredEntry>>(async (connection, transaction) =>
            await ReadAllAsync(Command(connection, transaction, """
                SELECT id, practice_id, destination, cluster, message_id, instance, delivered_at, status, attempt
                FROM outbox_delivered WHERE instance = $instance ORDER BY id;
                """, c => c.Parameters.AddWithValue("$instance", instance)),
                r => new DeliveredEntry(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
                    new DeliveryReceipt(r.GetString(5), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(6)), r.IsDBNull(7) ? null : r.GetInt32(7), r.GetString(8))),
                cancellationToken), cancellationToken);

    public Task DeliveriesRecordedAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken = default) =>
        ExecuteForIdsAsync("DELETE FROM outbox_delivered WHERE id IN ({0});", ids, null, cancellationToken);

    public Task RescheduleAsync(IReadOnlyList<long> ids, DateTimeOffset next, string error, CancellationToken cancellationToken = default) =>
        ExecuteForIdsAsync("UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $next, last_error = $error, claimed_by = NULL, claimed_until = NULL WHERE id IN ({0});", ids,
            command =>
            {
                command.Parameters.AddWithValue("$next", next.ToUnixTimeMilliseconds());
                command.Parameters.AddWithValue("$error", error);
            }, cancellationToken);

    public Task DeadLetterAsync(IReadOnlyList<long> ids, string reason, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            foreach (var id in ids)
            {
                await using var move = Command(connection, transaction, """
                    INSERT INTO dead_letters (practice_id, destination, cluster, subject, message_id, policy_name, policy_version, policy_sha256, event, enqueued_at, attempts, last_error, reason, dead_at)
                    SELECT practice_id, destination, cluster, subject, message_id, policy_name, policy_version, policy_sha256, event, enqueued_at, attempts + 1, last_error, $reason, $now FROM outbox WHERE id = $id;
                    DELETE FROM outbox WHERE id = $id;
                    """);
                move.Parameters.AddWithValue("$reason", reason);
                move.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
                move.Parameters.AddWithValue("$id", id);
                await move.ExecuteNonQueryAsync(cancellationToken);
            }

            return 0;
        }, cancellationToken);

    public Task<IReadOnlyList<PendingCount>> PendingAsync(CancellationToken cancellationToken = default) =>
        InTransactionAsync<IReadOnlyList<PendingCount>>(async (connection, transaction) =>
        {
            // Entries of an in-flight direct forward are being sent, not waiting: new events need not queue behind them.
            return await ReadAllAsync(Command(connection, transaction, $"""
                SELECT practice_id, destination, COUNT(*), MIN(enqueued_at) FROM outbox
                WHERE claimed_by IS NULL OR claimed_by NOT LIKE '%{OutboxClaim.DirectSuffix}'
                GROUP BY practice_id, destination;
                """),
                r => new PendingCount(r.GetString(0), r.GetString(1), r.GetInt64(2), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3))), cancellationToken);
        }, cancellationToken);

    public Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(string practiceId, CancellationToken cancellationToken = default) =>
        InTransactionAsync<IReadOnlyList<DeadLetter>>(async (connection, transaction) =>
        {
            var command = Command(connection, transaction, """
                SELECT id, practice_id, destination, cluster, subject, message_id, policy_name, policy_version, policy_sha256, event, enqueued_at, attempts, dead_at, last_error, reason
                FROM dead_letters WHERE practice_id = $practice ORDER BY id;
                """, c => c.Parameters.AddWithValue("$practice", practiceId));
            return await ReadAllAsync(command, r =>
            {
                var entry = ReadEntry(r);
                return new DeadLetter(entry, r.GetString(14), entry.NextAttemptAt);
            }, cancellationToken);
        }, cancellationToken);

    public Task<bool> ReplayDeadLetterAsync(string practiceId, long id, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            await using var move = Command(connection, transaction, """
                INSERT OR IGNORE INTO outbox (practice_id, destination, cluster, subject, message_id, policy_name, policy_version, policy_sha256, event, enqueued_at, attempts, next_attempt_at, last_error)
                SELECT practice_id, destination, cluster, subject, message_id, policy_name, policy_version, policy_sha256, event, $now, 0, $now, NULL FROM dead_letters WHERE id = $id AND practice_id = $practice;
                """);
            move.Parameters.AddWithValue("$id", id);
            move.Parameters.AddWithValue("$practice", practiceId);
            move.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            await move.ExecuteNonQueryAsync(cancellationToken);
            await using var delete = Command(connection, transaction, "DELETE FROM dead_letters WHERE id = $id AND practice_id = $practice;");
            delete.Parameters.AddWithValue("$id", id);
            delete.Parameters.AddWithValue("$practice", practiceId);
            return await delete.ExecuteNonQueryAsync(cancellationToken) > 0;
        }, cancellationToken);

    public Task<bool> DiscardDeadLetterAsync(string practiceId, long id, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            await using var delete = Command(connection, transaction, "DELETE FROM dead_letters WHERE id = $id AND practice_id = $practice;");
            delete.Parameters.AddWithValue("$id", id);
            delete.Parameters.AddWithValue("$practice", practiceId);
            return await delete.ExecuteNonQueryAsync(cancellationToken) > 0;
        }, cancellationToken);

    private async Task ExecuteForIdsAsync(string sqlFormat, IReadOnlyList<long> ids, Action<SqliteCommand>? bind, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }

        await InTransactionAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, string.Empty);
            AddIn(command, "i", ids.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), out var list);
            command.CommandText = string.Format(System.Globalization.CultureInfo.InvariantCulture, sqlFormat, list);
            bind?.Invoke(command);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return 0;
        }, cancellationToken);
    }

    private static void Bind(SqliteCommand command, OutboxEntry entry)
    {
        command.Parameters.AddWithValue("$practice", entry.PracticeId);
        command.Parameters.AddWithValue("$destination", entry.Destination);
        command.Parameters.AddWithValue("$cluster", entry.Cluster);
        command.Parameters.AddWithValue("$subject", OrNull(entry.Subject));
        command.Parameters.AddWithValue("$message", entry.MessageId);
        command.Parameters.AddWithValue("$pname", entry.PolicyName);
        command.Parameters.AddWithValue("$pversion", entry.PolicyVersion);
        command.Parameters.AddWithValue("$psha", entry.PolicySha256);
        command.Parameters.AddWithValue("$event", entry.Event);
        command.Parameters.AddWithValue("$enqueued", entry.EnqueuedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$attempts", entry.Attempts);
        command.Parameters.AddWithValue("$next", entry.NextAttemptAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$error", OrNull(entry.LastError));
    }

    private static OutboxEntry ReadEntry(SqliteDataReader reader) => new()
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
        Event = (byte[])reader.GetValue(9),
        EnqueuedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(10)),
        Attempts = reader.GetInt32(11),
        NextAttemptAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(12)),
        LastError = Text(reader, 13),
    };
}
