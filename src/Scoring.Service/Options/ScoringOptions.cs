namespace Scoring.Service.Options;

/// <summary>Where the service keeps its data and finds the verticals' scoring files.</summary>
internal sealed class ScoringOptions
{
    public const string Section = "Scoring";

    public const string DefaultDataDirectory = "data";

    /// <summary>The service's data folder (SQLite database, development secrets); relative to the working directory.</summary>
    public string DataDirectory { get; set; } = DefaultDataDirectory;

    /// <summary>
    /// The folder holding <c>&lt;vertical&gt;/scoring.yaml</c>. When unset, the first <c>policies</c> folder with a
    /// <c>scoring.schema.json</c> found above the working directory or the app's folder (the repository's own, under <c>dotnet run</c>).
    /// </summary>
    public string? PoliciesDirectory { get; set; }
}
