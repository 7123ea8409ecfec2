using System.Data.Common;

namespace Gateway.Storage.Relational;

/// <summary>
/// A connection that keeps a command per SQL text prepared between uses (<see cref="Sqlite.SqliteKeptConnection"/>).
/// <see cref="RelationalStore"/> takes its commands from it when the connection offers them; a caller uses and
/// disposes such a command as any other.
/// </summary>
public interface IPreparedCommands
{
    /// <summary>The command for <paramref name="sql"/> in <paramref name="transaction"/>, with no parameters.</summary>
    DbCommand Command(string sql, DbTransaction? transaction);
}
