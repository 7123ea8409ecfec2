using System.Collections.Frozen;

namespace Gateway.Compliance.Operators;

/// <summary>The actions a policy may use, by name. Built once; add factories to support new actions.</summary>
public sealed class FieldOperatorRegistry
{
    private readonly FrozenDictionary<string, IFieldOperatorFactory> _factories;

    public FieldOperatorRegistry(IEnumerable<IFieldOperatorFactory> factories)
    {
        var map = new Dictionary<string, IFieldOperatorFactory>(StringComparer.Ordinal);
        foreach (var factory in factories)
        {
            if (!map.TryAdd(factory.Action, factory))
            {
                throw new ArgumentException($"Two operator factories own the action '{factory.Action}'.", nameof(factories));
            }
        }

        _factories = map.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>keep, drop, hmac, tokenize, generalize, redact-text.</summary>
    public static FieldOperatorRegistry Default { get; } = new(
    [
        new KeepOperatorFactory(), new DropOperatorFactory(), new HmacOperatorFactory(),
        new TokenizeOperatorFactory(), new GeneralizeOperatorFactory(), new RedactTextOperatorFactory(),
    ]);

    public IEnumerable<string> Actions => _factories.Keys.Order(StringComparer.Ordinal);

    public bool TryGet(string action, out IFieldOperatorFactory factory) => _factories.TryGetValue(action, out factory!);
}
