using System.Collections.Frozen;
using Gateway.Compliance.Practices;

namespace Gateway.Compliance.Policies;

/// <summary>
/// A named set of allowed values from a policy (<c>values.service_line</c>), extended by the practice's own values for
/// the same name. Matching folds case and look-alike characters; the forwarded value is the one the set lists, so
/// nothing of how the client spelled it goes through.
/// </summary>
public sealed class ValueSet
{
    private readonly FrozenDictionary<string, string> _values;

    public ValueSet(string name, IEnumerable<string> values)
    {
        Name = name;
        _values = PracticeContext.ValueSetEntries(values);
    }

    public string Name { get; }

    public int Count => _values.Count;

    public IEnumerable<string> Values => _values.Values;

    /// <summary>The listed form of <paramref name="value"/>, from the policy's set or the practice's additions.</summary>
    public bool TryMatch(string value, PracticeContext? practice, out string listed)
    {
        var folded = PracticeContext.ValueKey(value);
        if (_values.TryGetValue(folded, out listed!))
        {
            return true;
        }

        if (practice is not null && practice.ValueSets.TryGetValue(Name, out var extra) && extra.TryGetValue(folded, out listed!))
        {
            return true;
        }

        listed = string.Empty;
        return false;
    }
}
