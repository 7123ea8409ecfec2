using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using Scoring.Engine.Configuration;
using Scoring.Engine.Scoring;
using Scoring.Engine.Stages;
using Scoring.Service.Options;
using Scoring.Service.Storage;

namespace Scoring.Service.Hosting;

/// <summary>
/// Every vertical's scoring configuration with its practices' settings, loaded and validated once at start (each
/// vertical against what its policy forwards). Any error in any vertical stops the service from starting, with every
/// error of every vertical in the message. A practice without a file of its own is scored with its vertical's.
/// </summary>
internal sealed class ScoringCatalog
{
    private readonly FrozenDictionary<string, LeadEvaluator> _verticals;
    private readonly FrozenDictionary<(string Vertical, string Practice), LeadEvaluator> _practices;

    public ScoringCatalog(IOptions<ScoringOptions> options)
    {
        var root = options.Value.PoliciesDirectory ?? throw new InvalidOperationException(ScoringOptionsValidator.PoliciesNotFound);
        var loader = new ScoringConfigLoader();
        var verticals = new Dictionary<string, LeadEvaluator>(StringComparer.Ordinal);
        var practices = new Dictionary<(string, string), LeadEvaluator>();
        var errors = new List<ScoringConfigError>();
        foreach (var name in ScoringConfigLoader.FindVerticals(root))
        {
            var result = loader.Load(Path.Combine(root, name));
            if (result.Config is { } config)
            {
                verticals[name] = new LeadEvaluator(config);
                foreach (var practice in config.Practices.Values)
                {
                    practices[(name, practice.Id)] = new LeadEvaluator(new ScoringProfile(config, practice));
                }
            }
            else
            {
                errors.AddRange(result.Errors.Select(e => e with { Location = e.Location with { File = $"{name}/{e.Location.File}" } }));
            }
        }

        if (errors.Count > 0)
        {
            throw new ScoringConfigException(root, errors);
        }

        if (verticals.Count == 0)
        {
            throw new ScoringConfigException(root, [new ScoringConfigError(SourceLocation.Unknown, string.Empty, $"no <vertical>/{ScoringConfig.FileName} found")]);
        }

        _verticals = verticals.ToFrozenDictionary(StringComparer.Ordinal);
        _practices = practices.ToFrozenDictionary();
        Configurations =
        [
            .. _verticals.Select(v => new ConfigurationIdentity(v.Key, null, v.Value.Profile.Sha256)),
            .. _practices.Select(p => new ConfigurationIdentity(p.Key.Vertical, p.Key.Practice, p.Value.Profile.Sha256)),
        ];
    }

    public IEnumerable<string> Verticals => _verticals.Keys;

    /// <summary>The practices with their own settings, as (vertical, practice).</summary>
    public IEnumerable<(string Vertical, string Practice)> Practices => _practices.Keys;

    /// <summary>Which configuration scores which leads: a lead scored with another is evaluated again.</summary>
    public IReadOnlyList<ConfigurationIdentity> Configurations { get; }

    /// <summary>The SHA-256 of each vertical's scoring configuration, for the gateway's readiness check.</summary>
    public IReadOnlyDictionary<string, string> Sha256ByVertical => _verticals.ToFrozenDictionary(v => v.Key, v => v.Value.Profile.Sha256, StringComparer.Ordinal);

    public bool IsKnown(string vertical) => _verticals.ContainsKey(vertical);

    /// <summary>The evaluator of a practice's leads: its own settings, else its vertical's.</summary>
    public bool TryGet(string vertical, string practice, out LeadEvaluator evaluator) =>
        _practices.TryGetValue((vertical, practice), out evaluator!) || _verticals.TryGetValue(vertical, out evaluator!);
}
