namespace Scoring.Engine.Configuration;

/// <summary>Formats paths inside a scoring file for error messages (keys with spaces are quoted).</summary>
internal static class ConfigPaths
{
    public static string Key(string key) =>
        key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') ? key : $"\"{key}\"";
}
