namespace Gateway.Compliance.Pseudonyms;

/// <summary>
/// The last few pseudonyms made for one event (the subject ids made while reading the envelope are made again by
/// the scrubber's forced <c>hmac</c> rules on <c>userId</c> and <c>anonymousId</c>). A pseudonym is a pure function
/// of key, normalization and value, so an entry can never be wrong, only absent. Not thread-safe: one per
/// <see cref="Processing.ScrubContext"/>. Holds PHI-derived values in memory only, like the event itself.
/// </summary>
internal sealed class PseudonymMemo
{
    private const int Capacity = 4;

    private readonly (PseudonymKey? Key, IdentifierNormalization Normalization, string Value, string Pseudonym)[] _entries = new (PseudonymKey?, IdentifierNormalization, string, string)[Capacity];
    private int _next;

    public void Remember(PseudonymKey key, IdentifierNormalization normalization, string value, string pseudonym)
    {
        _entries[_next] = (key, normalization, value, pseudonym);
        _next = (_next + 1) % Capacity;
    }

    public bool TryGet(PseudonymKey key, IdentifierNormalization normalization, string value, out string pseudonym)
    {
        foreach (var entry in _entries)
        {
            if (ReferenceEquals(entry.Key, key) && entry.Normalization == normalization && string.Equals(entry.Value, value, StringComparison.Ordinal))
            {
                pseudonym = entry.Pseudonym;
                return true;
            }
        }

        pseudonym = string.Empty;
        return false;
    }

    /// <summary>Forgets every entry (between requests, so values do not outlive their request).</summary>
    public void Clear()
    {
        Array.Clear(_entries);
        _next = 0;
    }
}
