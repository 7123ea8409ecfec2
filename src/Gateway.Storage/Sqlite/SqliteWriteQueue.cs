using System.Collections.Concurrent;
using System.Data.Common;

namespace Gateway.Storage.Sqlite;

/// <summary>
/// Group commit for one SQLite file. SQLite has one writer at a time, and with <c>synchronous=FULL</c> every commit
/// is an fsync: concurrent requests each opening their own write transaction wait on the file lock (busy handler
/// sleeps) and then pay one fsync each. Here writes queue up instead; one drainer at a time takes every write waiting,
/// runs each in its own savepoint of one transaction, and commits them together: one fsync for the group.
/// <para>
/// A write's task completes only after the group's commit, so a completed write is as durable as before. A write that
/// throws is rolled back to its savepoint and fails alone; the others still commit. When the transaction itself
/// fails (open, commit, or an error that makes SQLite roll the whole transaction back), every write of the group
/// fails with that error and nothing of the group is kept. A write runs only on the connection it is given and must
/// not wait for another write: that one would queue behind it.
/// </para>
/// <para>
/// The groups run on one connection kept open between them, with its statements prepared
/// (<see cref="SqliteKeptConnection"/>); after a group whose transaction failed it is closed and the next group opens
/// a new one.
/// </para>
/// </summary>
public sealed class SqliteWriteQueue(SqliteDatabase database, int maxGroup = 128)
{
    private readonly ConcurrentQueue<IQueuedWrite> _pending = new();
    private int _draining;

    /// <summary>The writer; only the drainer (holding <see cref="_draining"/>) uses it.</summary>
    private SqliteKeptConnection? _writer;

    /// <summary>Closes the writer unless a group is running (then the drainer keeps it).</summary>
    public void CloseIdleConnection()
    {
        if (Interlocked.CompareExchange(ref _draining, 1, 0) != 0)
        {
            return;
        }

        try
        {
            CloseWriter();
        }
        finally
        {
            Interlocked.Exchange(ref _draining, 0);
        }

        // A write queued while the flag was held found it set: take it over.
        if (!_pending.IsEmpty && Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
        {
            _ = Task.Run(DrainAsync, CancellationToken.None);
        }
    }

    /// <summary>Queues <paramref name="work"/>; the task completes when its group has committed, or fails with its error.</summary>
    public Task<T> RunAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var write = new QueuedWrite<T>(work, cancellationToken);
        _pending.Enqueue(write);
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
        {
            _ = Task.Run(DrainAsync, CancellationToken.None);
        }

        return write.Task;
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            try
            {
                while (!_pending.IsEmpty)
                {
                    await CommitGroupAsync();
                }
            }
            finally
            {
                // A full fence: the look at the queue below must not move before the flag is cleared.
                Interlocked.Exchange(ref _draining, 0);
            }

            // A write queued after the last look but before the flag was cleared found the flag set: take it over.
            if (_pending.IsEmpty || Interlocked.CompareExchange(ref _draining, 1, 0) != 0)
            {
                return;
            }
        }
    }

    private async Task CommitGroupAsync()
    {
        var group = new List<IQueuedWrite>(Math.Min(maxGroup, _pending.Count));
        while (group.Count < maxGroup && _pending.TryDequeue(out var next))
        {
            if (!next.TryCancel())
            {
                group.Add(next);
            }
        }

        if (group.Count == 0)
        {
            return;
        }

        var ran = new List<IQueuedWrite>(group.Count);
        var committed = false;
        Exception? transactionError = null;
        try
        {
            var connection = _writer ??= await database.OpenKeptAsync(CancellationToken.None);
            await using var transaction = database.BeginWrite(connection);
            foreach (var write in group)
            {
                if (group.Count == 1)
                {
                    await write.RunAsync(connection, transaction);
                    ran.Add(write);
                    continue;
                }

                transaction.Save("w");
                try
                {
                    await write.RunAsync(connection, transaction);
                    transaction.Release("w");
                    ran.Add(write);
                }
                catch (Exception ex)
                {
                    write.Fail(ex);
                    try
                    {
                        transaction.Rollback("w");
                        transaction.Release("w");
                    }
                    catch
                    {
                        // SQLite already rolled the whole transaction back (a full disk, an I/O error): the rest of the
                        // group fails with the error that caused it, not with the savepoint's.
                        transactionError = ex;
                        throw;
                    }
                }
            }

            await transaction.CommitAsync(CancellationToken.None);
            committed = true;
        }
        catch (Exception ex) when (!committed)
        {
            // The connection may be left in any state (an I/O error, a transaction SQLite rolled back): not kept.
            CloseWriter();
            foreach (var write in group)
            {
                write.Fail(transactionError ?? ex);
            }

            return;
        }
        catch
        {
            // Committed, then ending the transaction failed: the writes are durable and complete below.
            CloseWriter();
        }

        foreach (var write in ran)
        {
            write.Complete();
        }
    }

    private void CloseWriter()
    {
        try
        {
            _writer?.Dispose();
        }
        catch
        {
            // Closing a broken connection may fail too; it is dropped either way.
        }

        _writer = null;
    }

    private interface IQueuedWrite
    {
        bool TryCancel();

        Task RunAsync(DbConnection connection, DbTransaction transaction);

        void Complete();

        void Fail(Exception exception);
    }

    private sealed class QueuedWrite<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) : IQueuedWrite
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _done.Task;

        public bool TryCancel() => cancellationToken.IsCancellationRequested && _done.TrySetCanceled(cancellationToken);

        public async Task RunAsync(DbConnection connection, DbTransaction transaction) => _result = await work(connection, transaction);

        public void Complete() => _done.TrySetResult(_result!);

        public void Fail(Exception exception) => _done.TrySetException(exception);
    }
}
