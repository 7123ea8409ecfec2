using System.Text.Json;
using Gateway.Server.Durability;
using Gateway.Server.Ingest;
using Gateway.Server.Policies;
using Gateway.Server.Practices;
using Gateway.Storage;
using Gateway.Storage.Outbox;
using Gateway.Storage.Quarantine;

namespace Gateway.Server.Admin;

/// <summary>
/// Quarantine and dead letters for authorized people: list (compliance), inspect and replay (admin).
/// Inspecting a quarantined event reveals the original event, PHI included, to the admin: the call is
/// audited like every admin call, and the event never reaches a log.
/// </summary>
internal static class DurabilityAdminApi
{
    public static IEndpointRouteBuilder MapDurabilityAdminApi(this IEndpointRouteBuilder endpoints)
    {
        var practice = endpoints.MapGroup("/admin/v1/practices/{practiceId}");
        practice.MapGet("/quarantine", ListQuarantineAsync).WithMetadata(new AdminRoleRequirement(AdminIdentity.ComplianceRole));
        practice.MapGet("/quarantine/{id:long}", InspectQuarantineAsync).WithMetadata(new AdminRoleRequirement(AdminIdentity.AdminRole));
        practice.MapPost("/quarantine/{id:long}/replay", ReplayQuarantineAsync).WithMetadata(new AdminRoleRequirement(AdminIdentity.AdminRole));
        practice.MapGet("/dead-letters", ListDeadLettersAsync).WithMetadata(new AdminRoleRequirement(AdminIdentity.ComplianceRole));
        practice.MapPost("/dead-letters/{id:long}/replay", ReplayDeadLetterAsync).WithMetadata(new AdminRoleRequirement(AdminIdentity.AdminRole));
        return endpoints;
    }

    private static async Task<IResult> ListQuarantineAsync(string practiceId, PracticeDirectory practices, IQuarantineStore store, CancellationToken cancellationToken)
    {
        if (!practices.TryGet(practiceId, out _))
        {
            return NotFound();
        }

        return await GuardAsync(async () =>
        {
            var entries = await store.ListAsync(practiceId, cancellationToken);
            return Results.Ok(entries.Select(e => new
            {
                id = e.Id,
                messageId = e.MessageId,
                vertical = e.Vertical,
                reason = e.Reason,
                violations = JsonDocument.Parse(e.Violations).RootElement,
                quarantinedAt = e.QuarantinedAt,
                expiresAt = e.ExpiresAt,
                replayedAt = e.ReplayedAt,
                replayOutcome = e.ReplayOutcome,
            }));
        });
    }

    private static async Task<IResult> InspectQuarantineAsync(string practiceId, long id, IQuarantineStore store, QuarantineService quarantine, CancellationToken cancellationToken) =>
        await GuardAsync(async () =>
        {
            var entry = await store.GetAsync(practiceId, id, cancellationToken);
            if (entry is null)
            {
                return NotFound();
            }

            return Results.Ok(new
            {
                id = entry.Id,
                reason = entry.Reason,
                violations = JsonDocument.Parse(entry.Violations).RootElement,
                @event = JsonDocument.Parse(quarantine.Reveal(entry)).RootElement,
            });
        });

    private static async Task<IResult> ReplayQuarantineAsync(
        string practiceId, long id, PracticeDirectory practices, PolicyProvider policies, IQuarantineStore store, QuarantineService quarantine,
        IngestPipeline pipeline, TimeProvider time, CancellationToken cancellationToken) =>
        await GuardAsync(async () =>
        {
            if (!practices.TryGet(practiceId, out var practice) || !policies.TryGetPolicy(practice, out var policy))
            {
                return NotFound();
            }

            var entry = await store.GetAsync(practiceId, id, cancellationToken);
            if (entry is null)
            {
                return NotFound();
            }

            using var document = JsonDocument.Parse(quarantine.Reveal(entry));
            var outcome = await pipeline.ProcessEventsAsync(practice, policy, [document.RootElement], entry.EndpointType, keepInvalid: false);
            if (outcome.Failure is { } failure)
            {
                return Results.Problem(detail: failure.Detail, statusCode: failure.Status, type: "urn:gateway:problem:" + failure.Type);
            }

            var result = outcome.Rejected.Count > 0 ? "rejected" : outcome.Queued > 0 ? "queued" : outcome.Delivered > 0 ? "forwarded" : "dropped";

            // A repeated replay of a forwarded entry is a duplicate (dropped): the entry keeps its first outcome.
            if (result != "rejected" && entry.ReplayOutcome is null or "dropped")
            {
                await store.MarkReplayedAsync(entry.Id, time.GetUtcNow(), result, cancellationToken);
            }

            return Results.Ok(new
            {
                id = entry.Id,
                outcome = result,
                violations = outcome.Rejected.SelectMany(r => r.Result.Violations).Select(v => new { path = v.Path, rule = v.Rule }),
            });
        });

    private static async Task<IResult> ListDeadLettersAsync(string practiceId, PracticeDirectory practices, IOutboxStore store, CancellationToken cancellationToken)
    {
        if (!practices.TryGet(practiceId, out _))
        {
            return NotFound();
        }

        return await GuardAsync(async () =>
        {
            var letters = await store.DeadLettersAsync(practiceId, cancellationToken);
            return Results.Ok(letters.Select(d => new
            {
                id = d.Entry.Id,
                destination = d.Entry.Destination,
                messageId = d.Entry.MessageId,
                policyVersion = d.Entry.PolicyVersion,
                reason = d.Reason,
                attempts = d.Entry.Attempts,
                lastError = d.Entry.LastError,
                enqueuedAt = d.Entry.EnqueuedAt,
                deadAt = d.DeadAt,
            }));
        });
    }

    private static async Task<IResult> ReplayDeadLetterAsync(string practiceId, long id, IOutboxStore store, OutboxState state, TimeProvider time, CancellationToken cancellationToken) =>
        await GuardAsync(async () =>
        {
            if (!await store.ReplayDeadLetterAsync(practiceId, id, time.GetUtcNow(), cancellationToken))
            {
                return NotFound();
            }

            state.Refresh(await store.PendingAsync(cancellationToken));
            return Results.Accepted(value: new { id, outcome = "queued" });
        });

    private static async Task<IResult> GuardAsync(Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (StoreUnavailableException ex)
        {
            return Results.Problem(detail: $"The {ex.Store} store is unavailable.", statusCode: StatusCodes.Status503ServiceUnavailable, type: "urn:gateway:problem:unavailable");
        }
        catch (KeyRingUnavailableException)
        {
            return Results.Problem(detail: "The Data Protection key ring is missing.", statusCode: StatusCodes.Status503ServiceUnavailable, type: "urn:gateway:problem:unavailable");
        }
    }

    private static IResult NotFound() => Results.Problem(detail: "No such practice or entry.", statusCode: StatusCodes.Status404NotFound, type: "urn:gateway:problem:not-found");
}
