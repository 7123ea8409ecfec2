namespace Scoring.Engine.Configuration;

/// <summary>Attribute names with a meaning beyond fit points.</summary>
public static class WellKnownAttributes
{
    /// <summary>The lead's service interest: routing, handoff context, and the intent multiplier's sources.</summary>
    public const string ServiceLine = "service_line";

    /// <summary>The lead's location: handoff context, routing and queue filters.</summary>
    public const string Location = "location";

    /// <summary>The lead's 3-digit ZIP prefix: finds the practice location whose service area it is in.</summary>
    public const string Zip3 = "zip3";

    /// <summary>True once the person replied STOP (or another opt-out) to a text: hand-offs say "do not text".</summary>
    public const string SmsOptOut = "sms_opt_out";
}
