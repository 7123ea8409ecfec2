using System.Security.Cryptography;
using System.Text;
using Scoring.Engine.Configuration.Validation;
using Scoring.Engine.Configuration.Yaml;
using Scoring.Engine.Practices;

namespace Scoring.Engine.Configuration;

/// <summary>
/// Loads one vertical's <c>scoring.yaml</c> and its practices' files (<c>practices/*.yaml</c>): checks their
/// structure, then runs every semantic rule against what the vertical's policy forwards. Reports all errors with file, line and path; returns no configuration at all if
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
        new ConversionRulesResolve(),
        new StagesAreConsistent(),
        new RoutingResolves(),
        new MqlCriteriaResolve(),
        new LeadTypesResolve(),
    ];

    /// <param name="forwarded">What the vertical's policy forwards, when the caller already loaded it; else the policy in
    /// <paramref name="directory"/> is loaded (a policy that does not load is an error).</param>
    public ScoringLoadResult Load(string directory, Gateway.Compliance.Policies.Analysis.ForwardedFieldCatalog? forwarded = null)
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
        var catalog = forwarded is not null ? new EventCatalog(forwarded) : EventCatalog.Load(directory, ScoringConfig.FileName, catalogErrors);
        if (catalog is null)
        {
            return new ScoringLoadResult(null, catalogErrors);
        }

        var context = new ScoringValidationContext(config, directory, catalog);
        foreach (var rule in _rules)
        {
            rule.Validate(context);
        }

        var practices = LoadPractices(directory, context);
        var errors = catalogErrors.Concat(context.Errors).Distinct().ToList();
        return errors.Count > 0 ? new ScoringLoadResult(null, errors) : new ScoringLoadResult(config with { Practices = practices }, []);
    }

    /// <summary>Reads and checks every <c>practices/*.yaml</c>; errors go to the context.</summary>
    private static Dictionary<string, PracticeSettings> LoadPractices(string directory, ScoringValidationContext context)
    {
        var practices = new Dictionary<string, PracticeSettings>(StringComparer.Ordinal);
        var folder = Path.Combine(directory, PracticeSettings.Folder);
        if (!Directory.Exists(folder))
        {
            return practices;
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.yaml").Order(StringComparer.Ordinal))
        {
            var bytes = File.ReadAllBytes(file);
            var reader = new PracticeFileReader($"{PracticeSettings.Folder}/{Path.GetFileName(file)}");
            var practice = reader.Read(Encoding.UTF8.GetString(bytes), Convert.ToHexStringLower(SHA256.HashData(bytes)));
            foreach (var error in reader.Errors)
            {
                context.AddError(error.Location, error.Path, error.Message);
            }

            if (practice is not null)
            {
                PracticeValidation.Validate(practice, Path.GetFileNameWithoutExtension(file), context);
                practices[practice.Id] = practice;
            }
        }

        return practices;
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
