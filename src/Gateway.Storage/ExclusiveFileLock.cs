namespace Gateway.Storage;

/// <summary>
/// A lock that is a file held open without sharing: the kernel refuses it to a second holder, in this process or any
/// other, and releases it when the holder disposes it or its process ends, even by a kill.
/// </summary>
public static class ExclusiveFileLock
{
    /// <summary>Opens (creating if needed) <paramref name="path"/> exclusively; disposing the stream releases the lock.</summary>
    /// <exception cref="IOException">Another holder has the file open.</exception>
    public static FileStream Take(string path) => new(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
}
