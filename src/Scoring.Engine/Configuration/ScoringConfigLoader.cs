using System.Security.Cryptography;
using System.Text;
using Scoring.Engine.Configuration.Validation;
using Scoring.Engine.Configuration.Yaml;

namespace Scoring.Engine.Configuration;

/// <summary>
/// Loads one vertical's <c>scoring.yaml</c>: checks its structure, then runs every semantic rule against the
/// vertical's event schemas. Reports all errors with file, line and path; returns no configuration at all if
/// there is any error (never a partial one).
/// </summary>
public sealed class ScoringConfigLoader
{
    private readonly IReadOnlyList<IScoringRule> _rules =
    [
        new VerticalMatchesFolder(),
        new NumbersAreInRange(),
        new AttributesResolve(),
        new FitRulesResolve(),
        new IntentEventsResolve(),
        new DirectRulesResolve(),
        new StagesAreConsistent(),
        new RoutingResolves(),
    ];

    public ScoringLoadResult Load(string directory)
    {
        directory = Path.GetFullPath(directory);
        var file = Path.Combine(directory, ScoringConfig.FileName);
        if (!File.Exists(file))
        {
            return new ScoringLoadResult(null, [new ScoringConfigError(new SourceLocation(ScoringConfig.FileName, 0, 0), string.Empty, $"no {ScoringConfig.FileName} in '{directory}'")]);
        }

        var bytes = File.ReadAllBytes(file);
        var reader = new ScoringFileReader(ScoringConfig.FileName);
        var config = reader.Read(Encoding.UTF8.GetString(bytes), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        if (config is null)
        {
            return new ScoringLoadResult(null, reader.Errors);
        }

        var catalogErrors = new List<ScoringConfigError>();
        var catalog = EventCatalog.Load(directory, ScoringConfig.FileName, catalogErrors);
        var context = new ScoringValidationContext(config, directory, catalog);
        foreach (var rule in _rules)
        {
            rule.Validate(context);
        }

        var errors = catalogErrors.Concat(context.Errors).Distinct().ToList();
        return errors.Count > 0 ? new ScoringLoadResult(null, errors) : new ScoringLoadResult(config, []);
    }

    /// <summary>Loads or throws <see cref="ScoringConfigException"/> with every error.</summary>
    public ScoringConfig LoadOrThrow(string directory)
    {
        var result = Load(directory);
        return result.Config ?? throw new ScoringConfigException(Path.GetFullPath(directory), result.Errors);
    }

    /// <summary>The vertical folders under <paramref name="policiesRoot"/> that hold a scoring file.</summary>
    public static IReadOnlyList<string> FindVerticals(string policiesRoot) =>
        [.. Directory.EnumerateDirectories(policiesRoot)
            .Where(d => File.Exists(Path.Combine(d, ScoringConfig.FileName)))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal)];
}

/// <summary>The outcome of loading a scoring file: a configuration, or every error (never both).</summary>
public sealed record ScoringLoadResult(ScoringConfig? Config, IReadOnlyList<ScoringConfigError> Errors)
{
    public bool Succeeded => Config is not null;
}
