namespace Gateway.Server.Configuration;

/// <summary>Reads a secret given inline or as a file path (file wins). Never logs or echoes the value.</summary>
internal static class SecretReader
{
    public static string? Read(string? inline, string? file, string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(file))
        {
            var path = Path.IsPathRooted(file) ? file : Path.Combine(contentRoot, file);
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }

        return string.IsNullOrWhiteSpace(inline) ? null : inline.Trim();
    }

    /// <summary>A description of where a secret is expected, for "missing secret" messages (never the value).</summary>
    public static string Describe(string setting, string? file) =>
        string.IsNullOrWhiteSpace(file) ? $"'{setting}'" : $"'{setting}File' ({file})";
}
