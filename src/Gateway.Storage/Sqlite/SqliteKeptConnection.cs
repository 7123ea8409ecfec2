using System.Data.Common;
using Gateway.Storage.Relational;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite;

/// <summary>
/// A connection <see cref="SqliteDatabase"/> keeps open between operations (its readers, and the group commit's
/// writer), with the command of each SQL text kept prepared. Microsoft.Data.Sqlite prepares the SQL again for every
/// new command object, and closing a connection finalizes its statements; a request runs the same few statements
/// every time. Disposing a kept command only clears its parameters and transaction; closing the connection finalizes
/// every kept statement. At most <see cref="Capacity"/> texts are kept; others get a command of their own, prepared
/// per use, as before.
/// </summary>
public sealed class SqliteKeptConnection(string connectionString) : SqliteConnection(connectionString), IPreparedCommands
{
    /// <summary>How many SQL texts one connection keeps prepared (texts with a varying number of parameters count once per length).</summary>
    public const int Capacity = 64;

    private readonly Dictionary<string, KeptCommand> _commands = new(StringComparer.Ordinal);

    /// <summary>How many SQL texts are kept prepared now.</summary>
    public int Kept => _commands.Count;

    public DbCommand Command(string sql, DbTransaction? transaction)
    {
        if (_commands.TryGetValue(sql, out var kept))
        {
            // A caller may have changed the text of its command: the next one gets the text it asks for.
            kept.CommandText = sql;
        }
        else if (sql.Length == 0 || _commands.Count >= Capacity)
        {
            var command = CreateCommand();
            command.Transaction = (SqliteTransaction?)transaction;
            command.CommandText = sql;
            return command;
        }
        else
        {
            kept = new KeptCommand(sql, this) { CommandTimeout = DefaultTimeout };
            _commands.Add(sql, kept);
        }

        kept.Transaction = (SqliteTransaction?)transaction;
        return kept;
    }

    public override void Close()
    {
        foreach (var command in _commands.Values)
        {
            command.Release();
        }

        _commands.Clear();
        base.Close();
    }

    private sealed class KeptCommand(string sql, SqliteConnection connection) : SqliteCommand(sql, connection)
    {
        private bool _released;

        /// <summary>Finalizes the statements: the connection is closing.</summary>
        public void Release()
        {
            _released = true;
            Dispose();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_released)
            {
                DataReader?.Dispose();
                Parameters.Clear();
                Transaction = null;
                return;
            }

            base.Dispose(disposing);
        }
    }
}
