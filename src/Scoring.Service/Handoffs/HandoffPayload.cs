using System.Text.Json;
using System.Text.Json.Serialization;

namespace Scoring.Service.Handoffs;

/// <summary>
/// What every destination is told of a hand-off, and nothing more: the lead's pseudonymous id (the practice
/// re-identifies it in its own systems), stage, score, queue, SLA due time, service interest, location, lead type and
/// "do not text". No event values, no free text, no reasons (they can name dates about the person).
/// </summary>
internal sealed record HandoffPayload(
    string Id,
    string Type,
    DateTimeOffset OccurredAt,
    string Practice,
    HandoffLead Lead)
{
    /// <summary>camelCase; no HTML-style escaping (<c>+00:00</c> stays readable): payloads are never embedded in a page.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static HandoffPayload FromJson(string json) => JsonSerializer.Deserialize<HandoffPayload>(json, Json)
        ?? throw new InvalidOperationException("An outbox message has no payload.");
}

/// <summary>The lead as a hand-off describes it (see <see cref="HandoffPayload"/>).</summary>
internal sealed record HandoffLead(
    string Id,
    string Stage,
    string? PreviousStage,
    double Score,
    double Threshold,
    string? Queue,
    string? Sla,
    DateTimeOffset? DueAt,
    string? ServiceInterest,
    string? Location,
    string? LeadType,
    bool DoNotText);
