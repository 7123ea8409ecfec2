using Newtonsoft.Json.Linq;

namespace Gateway.Compliance.Operators;

/// <summary>
/// The options of one field rule (everything besides <c>action</c>, <c>derive</c> and <c>class</c>),
/// with typed readers that report problems instead of throwing, so a policy's every error is found at once.
/// </summary>
public sealed class RuleOptions
{
    private readonly JObject _values;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public RuleOptions(JObject? values = null)
    {
        _values = values ?? [];
    }

    public static RuleOptions Empty => new();

    public IEnumerable<string> Keys => _values.Properties().Select(p => p.Name);

    /// <summary>Keys present but never read by the factory that built the rule: reported as unknown options.</summary>
    public IEnumerable<string> UnreadKeys => Keys.Where(k => !_read.Contains(k));

    public bool Has(string key) => _values.ContainsKey(key);

    public string? GetString(string key, ICollection<string> errors)
    {
        _read.Add(key);
        if (!_values.TryGetValue(key, out var token) || token.Type == JTokenType.Null)
        {
            return null;
        }

        if (token.Type != JTokenType.String)
        {
            errors.Add($"option '{key}' must be a string");
            return null;
        }

        return (string)token!;
    }

    /// <summary>The raw option (for options of several shapes), or null.</summary>
    public JToken? GetToken(string key)
    {
        _read.Add(key);
        return _values.TryGetValue(key, out var token) && token.Type != JTokenType.Null ? token : null;
    }

    public double? GetNumber(string key, ICollection<string> errors)
    {
        _read.Add(key);
        if (!_values.TryGetValue(key, out var token) || token.Type == JTokenType.Null)
        {
            return null;
        }

        if (token.Type is JTokenType.Integer or JTokenType.Float)
        {
            return (double)token;
        }

        errors.Add($"option '{key}' must be a number");
        return null;
    }

    public IReadOnlyList<string> GetStringList(string key, ICollection<string> errors)
    {
        _read.Add(key);
        if (!_values.TryGetValue(key, out var token) || token.Type == JTokenType.Null)
        {
            return [];
        }

        if (token is JArray array && array.All(t => t.Type == JTokenType.String))
        {
            return [.. array.Select(t => (string)t!)];
        }

        errors.Add($"option '{key}' must be a list of strings");
        return [];
    }

    public IReadOnlyList<double> GetNumberList(string key, ICollection<string> errors)
    {
        _read.Add(key);
        if (!_values.TryGetValue(key, out var token) || token.Type == JTokenType.Null)
        {
            return [];
        }

        if (token is JArray array && array.All(t => t.Type is JTokenType.Integer or JTokenType.Float))
        {
            return [.. array.Select(t => (double)t)];
        }

        errors.Add($"option '{key}' must be a list of numbers");
        return [];
    }
}
