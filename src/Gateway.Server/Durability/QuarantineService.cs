using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Gateway.Compliance.Policies;
using Gateway.Compliance.Practices;
using Gateway.Compliance.Processing;
using Gateway.Server.Configuration;
using Gateway.Server.Disclosure;
using Gateway.Storage;
using Gateway.Storage.Quarantine;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Gateway.Server.Durability;

/// <summary>
/// Keeps schema-invalid events, encrypted with Data Protection under a quarantine purpose per practice,
/// until an authorized person replays them (after the schema or policy is fixed) or their retention ends.
/// </summary>
internal sealed class QuarantineService(
    IQuarantineStore store,
    IDataProtectionProvider protection,
    KeyRingGuard keyRing,
    StoreHealth health,
    TimeProvider time,
    IOptions<GatewayOptions> options)
{
    public const string Purpose = "Gateway.Quarantine.v1";

    /// <summary>Events worth keeping: they fit the envelope but broke the schema, named no one, or exposed an engine defect (kept for replay once it is fixed).</summary>
    public static bool ShouldKeep(EventResult result) =>
        result.Disposition == EventDisposition.Rejected && result.MessageId is not null
        && result.Reason is EventReasons.SchemaInvalid or EventReasons.IdentityMissing or EventReasons.Unprocessable;

    public async Task<long> KeepAsync(PracticeContext practice, CompiledPolicy policy, EventResult result, JsonElement evt, string? endpointType, CancellationToken cancellationToken)
    {
        keyRing.EnsureAvailable();
        var raw = Encoding.UTF8.GetString(JsonMarshal.GetRawUtf8Value(evt));
        var now = time.GetUtcNow();
        var entry = new QuarantineEntry
        {
            PracticeId = practice.Id,
            Vertical = policy.Name,
            MessageId = result.MessageId!,
            EndpointType = endpointType,
            Reason = result.Reason!,
            Violations = JsonSerializer.Serialize(result.Violations.Select(v => new { path = v.Path, rule = v.Rule })),
            ProtectedEvent = Protector(practice.Id).Protect(raw),
            QuarantinedAt = now,
            ExpiresAt = now + TimeSpan.FromDays(options.Value.Quarantine.RetentionDays),
        };
        try
        {
            var id = await store.AddAsync(entry, cancellationToken);
            health.Succeeded("quarantine");
            return id;
        }
        catch (StoreUnavailableException)
        {
            health.Failed("quarantine");
            throw;
        }
    }

    /// <summary>The original event of an entry (PHI: only for an authorized person, never logged).</summary>
    public string Reveal(QuarantineEntry entry)
    {
        keyRing.EnsureAvailable();
        return Protector(entry.PracticeId).Unprotect(entry.ProtectedEvent);
    }

    private IDataProtector Protector(string practiceId) => protection.CreateProtector(Purpose, practiceId);
}

/// <summary>Deletes quarantined events past their retention, hourly.</summary>
internal sealed class QuarantinePurgeService(IQuarantineStore store, TimeProvider time, ILogger<QuarantinePurgeService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        do
        {
            try
            {
                var purged = await store.PurgeExpiredAsync(time.GetUtcNow(), stoppingToken);
                if (purged > 0)
                {
                    logger.LogInformation("Purged {Count} quarantined events past their retention", purged);
                }
            }
            catch (StoreUnavailableException)
            {
                logger.LogWarning("The quarantine store is unavailable; retention purge skipped");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
