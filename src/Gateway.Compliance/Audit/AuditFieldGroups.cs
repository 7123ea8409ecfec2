using System.Text.Json;

namespace Gateway.Compliance.Audit;

/// <summary>
/// Reusable scratch for one event's audit field lists: values grouped by name, groups written in ordinal name
/// order, values in first-seen order without repeats. Replaces a sorted dictionary of lists per event.
/// Not thread-safe: one per <see cref="Processing.FieldTrace"/>.
/// </summary>
internal sealed class AuditFieldGroups
{
    private readonly List<(string Group, string Value)> _entries = [];
    private readonly List<int> _order = [];
    private readonly Comparison<int> _inFirstSeenOrder;
    private readonly Comparison<int> _inValueOrder;

    public AuditFieldGroups()
    {
        _inFirstSeenOrder = (a, b) =>
        {
            var byGroup = string.CompareOrdinal(_entries[a].Group, _entries[b].Group);
            return byGroup != 0 ? byGroup : a.CompareTo(b);
        };
        _inValueOrder = (a, b) =>
        {
            var byGroup = string.CompareOrdinal(_entries[a].Group, _entries[b].Group);
            return byGroup != 0 ? byGroup : string.CompareOrdinal(_entries[a].Value, _entries[b].Value);
        };
    }

    public int Count => _entries.Count;

    public void Clear() => _entries.Clear();

    /// <summary>Adds <paramref name="value"/> to <paramref name="group"/> unless the group already holds it.</summary>
    public void Add(string group, string value)
    {
        foreach (var (g, v) in _entries)
        {
            if (string.Equals(g, group, StringComparison.Ordinal) && string.Equals(v, value, StringComparison.Ordinal))
            {
                return;
            }
        }

        _entries.Add((group, value));
    }

    /// <summary>Writes each group as a property holding an array of its values; values sorted too when asked.</summary>
    public void Write(Utf8JsonWriter writer, bool sortValues = false)
    {
        _order.Clear();
        for (var i = 0; i < _entries.Count; i++)
        {
            _order.Add(i);
        }

        _order.Sort(sortValues ? _inValueOrder : _inFirstSeenOrder);

        string? open = null;
        foreach (var index in _order)
        {
            var (group, value) = _entries[index];
            if (open is null || !string.Equals(open, group, StringComparison.Ordinal))
            {
                if (open is not null)
                {
                    writer.WriteEndArray();
                }

                writer.WriteStartArray(group);
                open = group;
            }

            writer.WriteStringValue(value);
        }

        if (open is not null)
        {
            writer.WriteEndArray();
        }
    }
}
