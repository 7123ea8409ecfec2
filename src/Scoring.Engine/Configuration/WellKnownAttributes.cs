namespace Scoring.Engine.Configuration;

/// <summary>Attribute names with a meaning beyond fit points.</summary>
public static class WellKnownAttributes
{
    /// <summary>The lead's service interest: routing, handoff context, and the intent multiplier's sources.</summary>
    public const string ServiceLine = "service_line";

    /// <summary>The lead's location: handoff context, routing and queue filters.</summary>
    public const string Location = "location";
}
