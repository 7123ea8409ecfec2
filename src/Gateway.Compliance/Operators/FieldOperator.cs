using System.Text.Json;
using Gateway.Compliance.Classification;
using Gateway.Compliance.Processing;

namespace Gateway.Compliance.Operators;

/// <summary>What happened to one field, as the audit records it.</summary>
public enum FieldOutcome
{
    /// <summary>A value was written to the forwarded event.</summary>
    Written,

    /// <summary>Nothing was written, as the rule intends.</summary>
    Dropped,

    /// <summary>Nothing was written because the value could not be transformed (e.g. not a ZIP code).</summary>
    Invalid,

    /// <summary>Nothing was written because the value is not one the rule allows (not in its value set, failed its guard).</summary>
    Refused,
}

/// <summary>
/// A compiled field action. Built once per policy rule by its <see cref="IFieldOperatorFactory"/>, then
/// applied to every matching value. Operators never throw for bad input values, and never put a value
/// anywhere but the forwarded event: a value they cannot handle is dropped and reported as
/// <see cref="FieldOutcome.Invalid"/>.
/// </summary>
public abstract class FieldOperator
{
    protected FieldOperator(string action, DataClasses outputClass, string? method = null)
    {
        Action = action;
        OutputClass = outputClass;
        Method = method;
        AuditName = method is null ? action : $"{action}:{method}";
    }

    /// <summary>How the audit names what this operator wrote: <c>action</c> or <c>action:method</c> (made once, not per event).</summary>
    public string AuditName { get; }

    /// <summary>The action name as written in policies (<c>keep</c>, <c>hmac</c>, ...).</summary>
    public string Action { get; }

    /// <summary>The method of a parameterized action (<c>zip3</c> for <c>generalize</c>), or null.</summary>
    public string? Method { get; }

    /// <summary>The class of what this operator writes (for BAA checks and accountings of disclosures).</summary>
    public DataClasses OutputClass { get; }

    /// <summary>True when the operator may be applied to objects and arrays (only <c>drop</c>).</summary>
    public virtual bool AppliesToContainers => false;

    /// <summary>Writes the transformed <paramref name="value"/> through <paramref name="output"/>, or nothing.</summary>
    public abstract FieldOutcome Apply(JsonElement value, ScrubOutput output, ScrubContext context);

    /// <summary>Reads a scalar as text: strings as-is, numbers as written. False for other kinds.</summary>
    protected static bool TryGetText(JsonElement value, out string text)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                text = value.GetString()!;
                return true;
            case JsonValueKind.Number:
                text = value.GetRawText();
                return true;
            default:
                text = string.Empty;
                return false;
        }
    }
}
