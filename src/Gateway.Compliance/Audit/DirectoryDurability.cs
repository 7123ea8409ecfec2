using System.Runtime.InteropServices;

namespace Gateway.Compliance.Audit;

/// <summary>
/// Makes a folder's entries durable (a rename or a removal survives power loss only once the folder itself is flushed):
/// <c>fsync</c> on the folder on Linux and macOS; elsewhere nothing is needed or available.
/// </summary>
internal static class DirectoryDurability
{
    /// <summary>Flushes <paramref name="directory"/>'s entries to disk; false when that could not be done.</summary>
    public static bool Flush(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return true;
        }

        var fd = Open(directory, 0);
        if (fd < 0)
        {
            return false;
        }

        try
        {
            return Fsync(fd) == 0;
        }
        finally
        {
            _ = Close(fd);
        }
    }

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code in this project for three plain calls.
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);
#pragma warning restore SYSLIB1054
}
