namespace Gateway.Server.ComplianceConsole;

/// <summary>
/// The compliance console's session (section <c>Gateway:Console</c>). A session ends after
/// <see cref="IdleMinutes"/> without a request and, whatever the activity, <see cref="MaxHours"/> after sign-in.
/// </summary>
public sealed record ConsoleOptions
{
    public const string SectionName = "Gateway:Console";

    public const int DefaultIdleMinutes = 15;

    public const int DefaultMaxHours = 8;

    /// <summary>Serve the console on the admin surface (on by default; off removes every <c>/console</c> page).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Minutes without a request after which the session ends (1-120).</summary>
    public int IdleMinutes { get; init; } = DefaultIdleMinutes;

    /// <summary>Hours after sign-in after which the session ends even while in use (1-24).</summary>
    public int MaxHours { get; init; } = DefaultMaxHours;
}
