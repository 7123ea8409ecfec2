using System.Collections.Frozen;
using Gateway.Compliance.Policies.Definitions;

namespace Gateway.Compliance.Policies;

/// <summary>
/// A vertical's policy, validated and compiled once at load: event types with their schema validators
/// and rule tries, destinations and consent settings. Immutable; a reload builds a new one.
/// </summary>
public sealed class CompiledPolicy
{
    private readonly FrozenDictionary<string, CompiledEventType> _byType;
    private readonly FrozenDictionary<string, CompiledEventType> _trackByName;

    internal CompiledPolicy(PolicyDefinition definition, string directory, string sha256, IReadOnlyList<CompiledEventType> eventTypes, PolicyAllowLists allowLists)
    {
        AllowLists = allowLists;
        Definition = definition;
        Directory = directory;
        Sha256 = sha256;
        EventTypes = eventTypes;
        _byType = eventTypes.Where(e => e.EventName is null).ToFrozenDictionary(e => e.Type, StringComparer.Ordinal);
        _trackByName = eventTypes.Where(e => e.EventName is not null).ToFrozenDictionary(e => e.EventName!, StringComparer.Ordinal);
    }

    public PolicyDefinition Definition { get; }

    /// <summary>The vertical's name (the folder name).</summary>
    public string Name => Definition.Name;

    /// <summary>The author's version string.</summary>
    public string Version => Definition.Version;

    /// <summary>Lower-case hex SHA-256 over the policy file and every schema file, so any edit changes it.</summary>
    public string Sha256 { get; }

    public string Directory { get; }

    public IReadOnlyList<CompiledEventType> EventTypes { get; }

    /// <summary>What the policy allows inside values: vocabulary, value sets, URL templates, hosts.</summary>
    public PolicyAllowLists AllowLists { get; }

    public IReadOnlyList<DestinationDefinition> Destinations => Definition.Destinations;

    /// <summary>Finds the event type for a Segment type and (for track) event name.</summary>
    public bool TryGetEventType(string type, string? eventName, out CompiledEventType eventType)
    {
        if (type == "track")
        {
            if (eventName is not null && _trackByName.TryGetValue(eventName, out eventType!))
            {
                return true;
            }

            eventType = null!;
            return false;
        }

        return _byType.TryGetValue(type, out eventType!);
    }

    /// <summary>Finds a track event type by name (accepts <c>ReadOnlySpan</c> callers via string).</summary>
    public bool TryGetTrackEvent(string eventName, out CompiledEventType eventType) => _trackByName.TryGetValue(eventName, out eventType!);

    public override string ToString() => $"{Name}@{Version} ({Sha256[..12]})";
}
