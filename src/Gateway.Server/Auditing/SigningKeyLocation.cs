namespace Gateway.Server.Auditing;

/// <summary>Where the checkpoint signing key may not be: inside a folder whose contents it vouches for (or that sits beside them).</summary>
internal static class SigningKeyLocation
{
    /// <summary>Why <paramref name="keyFile"/> may not be used, or null. Paths are compared after resolving them to full paths.</summary>
    public static string? Problem(string keyFile, IEnumerable<string> forbiddenFolders)
    {
        var key = Path.GetFullPath(keyFile);
        foreach (var folder in forbiddenFolders)
        {
            var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)) + Path.DirectorySeparatorChar;
            if (key.StartsWith(root, StringComparison.Ordinal))
            {
                return $"'{key}' is inside '{root}': keep the checkpoint signing key outside the gateway's data, audit and checkpoint folders.";
            }
        }

        return null;
    }
}
