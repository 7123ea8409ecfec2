namespace Scoring.Tests.Functional;

/// <summary>Batches shaped like the gateway forwards them (docs/forwarded-events.md).</summary>
internal static class Batches
{
    public static object Dental(DateTimeOffset sentAt, params object[] events) => Dental("demo-dental", sentAt, events);

    /// <summary>A dental batch of another practice (e.g. the sample DSO, which has its own settings).</summary>
    public static object Dental(string practice, DateTimeOffset sentAt, params object[] events) => new
    {
        practice,
        vertical = "dental",
        policy = new { name = "dental", version = "2026.11.0", sha256 = new string('a', 64) },
        sentAt = sentAt.ToString("O"),
        batch = events,
    };

    public static object Track(string messageId, string userId, string name, DateTimeOffset at, object? properties = null, object? derived = null, object? campaign = null) => new
    {
        type = "track",
        @event = name,
        messageId,
        userId,
        timestamp = at.ToString("O"),
        context = new { library = new { name = "analytics-node", version = "2.1.0" }, campaign },
        properties = properties ?? new { },
        derived = derived ?? new { },
    };

    public static object Page(string messageId, string anonymousId, DateTimeOffset at) => new
    {
        type = "page",
        messageId,
        anonymousId,
        timestamp = at.ToString("O"),
        properties = new { path = "/blog/whitening" },
    };

    public static object Identify(string messageId, string userId, string? anonymousId, DateTimeOffset at, object traits, object? derived = null) => new
    {
        type = "identify",
        messageId,
        userId,
        anonymousId,
        timestamp = at.ToString("O"),
        traits,
        derived = derived ?? new { },
    };

    /// <summary>The example: an implant appointment request from an ideal new patient (fit 52).</summary>
    public static object ImplantRequest(string messageId, string userId, DateTimeOffset at) => Track(
        messageId, userId, "Appointment Requested", at,
        new { service_line = "implants", location_id = "back-bay", new_patient = true, insurance_status = "in_network", zip = "021", notes = "Asking about [REDACTED:PERSON_NAME]'s implant" },
        new { has_insurance = true, email_valid = true, phone_valid = true, age_band = "45-54", in_service_area = true },
        new { name = "spring_implants", source = "google", medium = "cpc" });

    public static string Lead(string subject) => $"/api/leads/demo-dental/{Uri.EscapeDataString(subject)}";
}
