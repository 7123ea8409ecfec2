using System.Data.Common;

namespace Scoring.Service.Storage;

/// <summary>The hand-off outbox (<see cref="IHandoffOutbox"/>) over the lead store's database and connections.</summary>
internal abstract partial class RelationalLeadStore
{
    private const string OutboxColumns =
        "id, destination, idempotency_key, practice, kind, payload, created_at, attempts, next_attempt_at, delivered_at, failed_at, last_status";

    public async Task<bool> EnqueueAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginWriteAsync(connection, cancellationToken);
        var queued = await EnqueueAsync(connection, transaction, message, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return queued;
    }

    public async Task<IReadOnlyList<OutboxDelivery>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var due = new List<OutboxDelivery>();
        await using (var command = Command(connection, null, $"""
            SELECT {OutboxColumns} FROM handoff_outbox
            WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= @now AND (locked_until IS NULL OR locked_until < @now)
            ORDER BY next_attempt_at, id LIMIT @limit;
            """, ("@now", Ms(now)), ("@limit", limit)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var status = ReadOutbox(reader);
                due.Add(new OutboxDelivery(status.Id, status.Message, status.Attempts));
            }
        }

        var claimed = new List<OutboxDelivery>();
        foreach (var delivery in due)
        {
            // Another instance may have claimed it since: only the update that finds it unleased wins.
            await using var transaction = await BeginWriteAsync(connection, cancellationToken);
            var won = await ExecuteAsync(connection, transaction,
                "UPDATE handoff_outbox SET locked_until = @lease WHERE id = @id AND delivered_at IS NULL AND failed_at IS NULL AND (locked_until IS NULL OR locked_until < @now);",
                cancellationToken, ("@lease", Ms(leaseUntil)), ("@id", delivery.Id), ("@now", Ms(now)));
            await transaction.CommitAsync(cancellationToken);
            if (won == 1)
            {
                claimed.Add(delivery);
            }
        }

        return claimed;
    }

    public Task MarkDeliveredAsync(long id, DateTimeOffset at, string status, CancellationToken cancellationToken) =>
        UpdateOutboxAsync(
            "UPDATE handoff_outbox SET delivered_at = @at, attempts = attempts + 1, locked_until = NULL, last_status = @status WHERE id = @id;",
            cancellationToken, ("@at", Ms(at)), ("@status", status), ("@id", id));

    public Task MarkFailedAsync(long id, DateTimeOffset at, DateTimeOffset? nextAttemptAt, string status, CancellationToken cancellationToken) =>
        nextAttemptAt is { } next
            ? UpdateOutboxAsync(
                "UPDATE handoff_outbox SET next_attempt_at = @next, attempts = attempts + 1, locked_until = NULL, last_status = @status WHERE id = @id;",
                cancellationToken, ("@next", Ms(next)), ("@status", status), ("@id", id))
            : UpdateOutboxAsync(
                "UPDATE handoff_outbox SET failed_at = @at, attempts = attempts + 1, locked_until = NULL, last_status = @status WHERE id = @id;",
                cancellationToken, ("@at", Ms(at)), ("@status", status), ("@id", id));

    public async Task<IReadOnlyList<OutboxStatus>> ListAsync(string? practice, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null,
            $"SELECT {OutboxColumns} FROM handoff_outbox{(practice is null ? string.Empty : " WHERE practice = @p")} ORDER BY id;",
            ("@p", practice));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var messages = new List<OutboxStatus>();
        while (await reader.ReadAsync(cancellationToken))
        {
            messages.Add(ReadOutbox(reader));
        }

        return messages;
    }

    private static async Task<bool> EnqueueAsync(DbConnection connection, DbTransaction transaction, OutboxMessage message, CancellationToken cancellationToken) =>
        await ExecuteAsync(connection, transaction, """
            INSERT INTO handoff_outbox (destination, idempotency_key, practice, kind, payload, created_at, next_attempt_at, attempts)
            VALUES (@destination, @key, @p, @kind, @payload, @created, @created, 0)
            ON CONFLICT (destination, idempotency_key) DO NOTHING;
            """, cancellationToken,
            ("@destination", message.Destination), ("@key", message.IdempotencyKey), ("@p", message.Practice), ("@kind", message.Kind),
            ("@payload", message.Payload), ("@created", Ms(message.CreatedAt))) == 1;

    private async Task UpdateOutboxAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginWriteAsync(connection, cancellationToken);
        await ExecuteAsync(connection, transaction, sql, cancellationToken, parameters);
        await transaction.CommitAsync(cancellationToken);
    }

    private static OutboxStatus ReadOutbox(DbDataReader reader) => new(
        reader.GetInt64(0),
        new OutboxMessage(reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), At(reader.GetInt64(6))),
        (int)reader.GetInt64(7),
        At(reader.GetInt64(8)),
        NullableAt(reader, 9),
        NullableAt(reader, 10),
        NullableString(reader, 11));
}
