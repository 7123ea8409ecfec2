namespace Gateway.Server.Hosting;

/// <summary>
/// One gateway process per data folder. The audit chain, the key ring and the SQLite stores in it each assume a single
/// writer: a second process would append to the first one's chain, cut off what it takes for a torn tail, and
/// deduplicate against claims it cannot see. The lock (<c>gateway.lock</c>, held open exclusively) is taken before
/// anything else in the folder is opened and held until the process ends (the kernel releases it even after a kill);
/// a second process on the same folder stops at start, naming the folder. Several instances each have their own
/// <c>Gateway:DataPath</c> and share PostgreSQL.
/// </summary>
internal sealed class DataFolderLock : IDisposable
{
    public const string FileName = "gateway.lock";

    private readonly FileStream _lock;

    public DataFolderLock(string dataPath)
    {
        DataPath = dataPath;
        Directory.CreateDirectory(dataPath);
        try
        {
            _lock = Storage.ExclusiveFileLock.Take(Path.Combine(dataPath, FileName));
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException(
                $"Another gateway process is using the data folder {dataPath} ({FileName} is locked). Give each instance its own Gateway:DataPath.", ex);
        }
    }

    public string DataPath { get; }

    public void Dispose() => _lock.Dispose();
}
