using System.Collections.Concurrent;

namespace Gateway.Compliance.Operators;

/// <summary>
/// Remembers values a <see cref="ValueGuard"/> accepted for one compiled rule, so the same campaign code, form id or
/// locale is not checked again on every event (a guard runs the vocabulary and every detector over the value). Only
/// accepted values are kept: they are forwarded anyway and the guard judged them free of identifiers; a refused value is
/// never stored and is checked again each time. Bounded: once full, new values are checked without being remembered.
/// </summary>
internal sealed class AcceptedValueCache(int capacity = 4096)
{
    private readonly ConcurrentDictionary<string, bool> _accepted = new(StringComparer.Ordinal);
    private int _count;

    /// <summary>True when <paramref name="value"/> was accepted before, or <paramref name="check"/> accepts it now.</summary>
    public bool Accepts(string value, Func<string, bool> check)
    {
        if (_accepted.ContainsKey(value))
        {
            return true;
        }

        if (!check(value))
        {
            return false;
        }

        // A counter of its own: ConcurrentDictionary.Count takes every lock of the dictionary.
        if (Volatile.Read(ref _count) < capacity && _accepted.TryAdd(value, true))
        {
            Interlocked.Increment(ref _count);
        }

        return true;
    }
}
