namespace Gateway.Compliance.Classification;

/// <summary>
/// What a forwarded value is, for the purpose of deciding who may lawfully receive it.
/// Classes are separate from the actions that produce them (as in Microsoft.Extensions.Compliance):
/// an action yields a class, a destination's BAA covers a set of classes.
/// </summary>
/// <remarks>
/// Only <see cref="NonPhi"/>, <see cref="Derived"/> and <see cref="Generalized"/> are de-identified
/// (45 CFR 164.514(b)(2) Safe Harbor). Everything else is PHI, including keyed HMAC pseudonyms,
/// which are derived from identifiers and so remain PHI under 164.514(c).
/// </remarks>
[Flags]
public enum DataClasses
{
    None = 0,

    /// <summary>Not about an individual: event names, service lines, campaign names, SDK library.</summary>
    NonPhi = 1 << 0,

    /// <summary>A non-identifying feature computed by the gateway (e.g. <c>email_valid</c>, <c>age_band</c>).</summary>
    Derived = 1 << 1,

    /// <summary>A value generalized per Safe Harbor (ZIP3 with restricted areas as 000, year, age band with 90+).</summary>
    Generalized = 1 << 2,

    /// <summary>A keyed HMAC pseudonym. Still PHI: it may go only to destinations under a BAA.</summary>
    PseudonymousId = 1 << 3,

    /// <summary>A reversible Data Protection token. PHI.</summary>
    Token = 1 << 4,

    /// <summary>Free text after identifier detection. Treated as PHI: detectors are not perfect.</summary>
    RedactedText = 1 << 5,

    /// <summary>Raw contact data: names, emails, phones, street addresses. PHI.</summary>
    Contact = 1 << 6,

    /// <summary>Network and device data: IP addresses (even truncated), user agents, device ids. PHI.</summary>
    Network = 1 << 7,

    /// <summary>Page URLs and paths, even generalized: they can reveal a condition next to a pseudonym. PHI.</summary>
    Url = 1 << 8,

    /// <summary>Dates more specific than the year about an individual: event timestamps, appointment dates. PHI.</summary>
    Date = 1 << 9,

    /// <summary>Kept as-is with no finer class declared. Treated as PHI (fail closed).</summary>
    Phi = 1 << 10,
}

/// <summary>Names and predicates for <see cref="DataClasses"/>.</summary>
public static class DataClassNames
{
    /// <summary>Classes that are de-identified on their own and need no BAA.</summary>
    public const DataClasses Deidentified = DataClasses.NonPhi | DataClasses.Derived | DataClasses.Generalized;

    private static readonly (DataClasses Class, string Name)[] s_names =
    [
        (DataClasses.NonPhi, "non-phi"),
        (DataClasses.Derived, "derived"),
        (DataClasses.Generalized, "generalized"),
        (DataClasses.PseudonymousId, "pseudonymous-id"),
        (DataClasses.Token, "token"),
        (DataClasses.RedactedText, "redacted-text"),
        (DataClasses.Contact, "contact"),
        (DataClasses.Network, "network"),
        (DataClasses.Url, "url"),
        (DataClasses.Date, "date"),
        (DataClasses.Phi, "phi"),
    ];

    /// <summary>All single-class names as written in policies and BAA records.</summary>
    public static IEnumerable<string> All => s_names.Select(n => n.Name);

    /// <summary>True when the set contains a class that needs a BAA.</summary>
    public static bool ContainsPhi(this DataClasses classes) => (classes & ~Deidentified) != DataClasses.None;

    /// <summary>The PHI part of a set of classes.</summary>
    public static DataClasses PhiPart(this DataClasses classes) => classes & ~Deidentified;

    public static bool TryParse(string name, out DataClasses value)
    {
        foreach (var (cls, n) in s_names)
        {
            if (string.Equals(n, name, StringComparison.Ordinal))
            {
                value = cls;
                return true;
            }
        }

        value = DataClasses.None;
        return false;
    }

    /// <summary>Kebab-case names of the classes in the set, in a stable order.</summary>
    public static IReadOnlyList<string> ToNames(this DataClasses classes)
    {
        var names = new List<string>();
        foreach (var (cls, n) in s_names)
        {
            if ((classes & cls) != 0)
            {
                names.Add(n);
            }
        }

        return names;
    }

    /// <summary>Writes the names of the classes in <paramref name="classes"/> as array values, in <see cref="ToNames"/> order.</summary>
    internal static void WriteNames(this DataClasses classes, System.Text.Json.Utf8JsonWriter writer)
    {
        foreach (var (cls, n) in s_names)
        {
            if ((classes & cls) != 0)
            {
                writer.WriteStringValue(n);
            }
        }
    }

    public static DataClasses Parse(IEnumerable<string> names)
    {
        var result = DataClasses.None;
        foreach (var name in names)
        {
            if (!TryParse(name, out var cls))
            {
                throw new FormatException($"Unknown data class '{name}'. Known: {string.Join(", ", All)}.");
            }

            result |= cls;
        }

        return result;
    }
}
