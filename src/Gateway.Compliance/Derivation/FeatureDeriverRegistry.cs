using System.Collections.Frozen;

namespace Gateway.Compliance.Derivation;

/// <summary>The features a policy may derive. Built once; <see cref="Default"/> holds the built-in ones.</summary>
public sealed class FeatureDeriverRegistry
{
    private readonly FrozenDictionary<string, IFeatureDeriver> _derivers;

    public FeatureDeriverRegistry(IEnumerable<IFeatureDeriver> derivers)
    {
        var map = new Dictionary<string, IFeatureDeriver>(StringComparer.Ordinal);
        foreach (var deriver in derivers)
        {
            if (!map.TryAdd(deriver.Name, deriver))
            {
                throw new ArgumentException($"Two feature derivers are named '{deriver.Name}'.", nameof(derivers));
            }
        }

        _derivers = map.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public static FeatureDeriverRegistry Default { get; } = new(
    [
        new EmailValidDeriver(), new EmailBusinessDeriver(), new PhoneValidDeriver(), new InServiceAreaDeriver(),
        new AgeBandDeriver(), new PresentDeriver(), new SeniorityDeriver(), new OrgSizeBandDeriver(), new MentionsDeriver(), new LengthBandDeriver(),
        new SmsOptOutDeriver(),
    ]);

    public IEnumerable<string> Names => _derivers.Keys.Order(StringComparer.Ordinal);

    public bool TryGet(string name, out IFeatureDeriver deriver) => _derivers.TryGetValue(name, out deriver!);
}
