namespace Gateway.Compliance.Audit;

/// <summary>
/// The buffers <c>EventAuditFormatter</c> reuses from one event's field members to the next (held by the
/// event's <see cref="Processing.FieldTrace"/>, so never shared between threads). Holds paths and action
/// names only, never values.
/// </summary>
internal sealed class EventAuditScratch
{
    public AuditJsonBuffer Json { get; } = new(512);

    public AuditFieldGroups Fields { get; } = new();

    public AuditFieldGroups Derived { get; } = new();

    public AuditFieldGroups Detected { get; } = new();

    public AuditFieldGroups Refused { get; } = new();

    public List<string> Unmapped { get; } = [];

    /// <summary>Clears everything and returns a writer over the emptied buffer.</summary>
    public System.Text.Json.Utf8JsonWriter Begin()
    {
        Fields.Clear();
        Derived.Clear();
        Detected.Clear();
        Refused.Clear();
        Unmapped.Clear();
        return Json.Begin();
    }
}
