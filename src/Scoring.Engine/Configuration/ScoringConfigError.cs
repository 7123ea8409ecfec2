namespace Scoring.Engine.Configuration;

/// <summary>
/// One problem found while loading a scoring file: file, line, the path inside the file, and what is wrong.
/// Loading reports every error at once; any error means the configuration is not used.
/// </summary>
public sealed record ScoringConfigError(SourceLocation Location, string Path, string Message)
{
    public override string ToString() =>
        string.IsNullOrEmpty(Path) ? $"{Location}: {Message}" : $"{Location}: {Path}: {Message}";
}
