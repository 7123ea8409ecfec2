using System.Text.RegularExpressions;

namespace Scoring.Engine.Configuration.Validation;

/// <summary>What the validation rules share: the configuration, its folder, the vertical's event catalog and the error list.</summary>
internal sealed partial class ScoringValidationContext
{
    private readonly List<ScoringConfigError> _errors = [];

    public ScoringValidationContext(ScoringConfig config, string directory, EventCatalog events)
    {
        Config = config;
        Directory = directory;
        Events = events;
    }

    public ScoringConfig Config { get; }

    public string Directory { get; }

    public EventCatalog Events { get; }

    public IReadOnlyList<ScoringConfigError> Errors => _errors;

    public void AddError(SourceLocation location, string path, string message) => _errors.Add(new ScoringConfigError(location, path, message));

    /// <summary>Codes (queue names, criteria, reasons, rule names): lower-case letters, digits, '_' and '-'.</summary>
    public static bool IsCode(string value) => CodePattern().IsMatch(value);

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();
}
