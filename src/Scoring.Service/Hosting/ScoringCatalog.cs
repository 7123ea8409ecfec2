using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using Scoring.Engine.Configuration;
using Scoring.Engine.Stages;
using Scoring.Service.Options;

namespace Scoring.Service.Hosting;

/// <summary>
/// Every vertical's scoring configuration, loaded and validated once at start. Any error in any vertical stops the
/// service from starting, with every error of every vertical in the message.
/// </summary>
internal sealed class ScoringCatalog
{
    private readonly FrozenDictionary<string, (ScoringConfig Config, LeadEvaluator Evaluator)> _verticals;

    public ScoringCatalog(IOptions<ScoringOptions> options)
    {
        var root = options.Value.PoliciesDirectory ?? throw new InvalidOperationException(ScoringOptionsValidator.PoliciesNotFound);
        var loader = new ScoringConfigLoader();
        var verticals = new Dictionary<string, (ScoringConfig, LeadEvaluator)>(StringComparer.Ordinal);
        var errors = new List<ScoringConfigError>();
        foreach (var name in ScoringConfigLoader.FindVerticals(root))
        {
            var result = loader.Load(Path.Combine(root, name));
            if (result.Config is { } config)
            {
                verticals[name] = (config, new LeadEvaluator(config));
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
        Sha256ByVertical = _verticals.ToFrozenDictionary(v => v.Key, v => v.Value.Config.Sha256, StringComparer.Ordinal);
    }

    public IEnumerable<string> Verticals => _verticals.Keys;

    public IReadOnlyDictionary<string, string> Sha256ByVertical { get; }

    public bool TryGet(string vertical, out ScoringConfig config, out LeadEvaluator evaluator)
    {
        if (_verticals.TryGetValue(vertical, out var entry))
        {
            (config, evaluator) = entry;
            return true;
        }

        config = null!;
        evaluator = null!;
        return false;
    }
}
