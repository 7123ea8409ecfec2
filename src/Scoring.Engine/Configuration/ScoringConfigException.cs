namespace Scoring.Engine.Configuration;

/// <summary>Thrown when a vertical's scoring file cannot be used; carries every error found, not just the first.</summary>
public sealed class ScoringConfigException : Exception
{
    public ScoringConfigException(string directory, IReadOnlyList<ScoringConfigError> errors)
        : base(FormatMessage(directory, errors))
    {
        Directory = directory;
        Errors = errors;
    }

    public string Directory { get; }

    public IReadOnlyList<ScoringConfigError> Errors { get; }

    private static string FormatMessage(string directory, IReadOnlyList<ScoringConfigError> errors) =>
        $"The scoring configuration in '{directory}' has {errors.Count} error(s):{Environment.NewLine}  "
        + string.Join(Environment.NewLine + "  ", errors);
}
