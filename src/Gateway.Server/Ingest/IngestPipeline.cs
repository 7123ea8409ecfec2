using System.Text.Json;
using Gateway.Compliance.Audit;
using Gateway.Compliance.Policies;
using Gateway.Compliance.Policies.Definitions;
using Gateway.Compliance.Practices;
using Gateway.Compliance.Processing;
using Gateway.Server.Auditing;
using Gateway.Server.Configuration;
using Gateway.Server.Disclosure;
using Gateway.Server.Durability;
using Gateway.Server.Forwarding;
using Gateway.Server.Hosting;
using Gateway.Server.Policies;
using Gateway.Server.Practices;
using Gateway.Storage;
using Gateway.Storage.Outbox;
using Microsoft.Extensions.ObjectPool;
using Microsoft.Extensions.Options;

namespace Gateway.Server.Ingest;

/// <summary>
/// One ingest request, end to end: authenticate the practice, read the body within limits, run every
/// event through the engine, quarantine the invalid ones, decide consent and BAA per destination, make
/// the audit records durable, and only then forward. What a destination cannot take now goes to the
/// durable outbox. The answer is 2xx only when every event was forwarded, queued durably, or dropped on purpose.
/// </summary>
internal sealed partial class IngestPipeline(
    PracticeDirectory practices,
    PolicyProvider policies,
    IAuditLog audit,
    IDestinationForwarder forwarder,
    DisclosureDecider disclosure,
    DuplicateGuard duplicates,
    OutboxWriter outbox,
    DeliveryRecorder deliveries,
    QuarantineService quarantine,
    ObjectPool<EventProcessor> processors,
    TimeProvider time,
    GatewayMetrics metrics,
    IHostApplicationLifetime lifetime,
    IOptions<GatewayOptions> options,
    ILogger<IngestPipeline> logger)
{
    private readonly IngestLimitsOptions _limits = options.Value.Limits;

    public async Task HandleAsync(HttpContext http, SegmentEndpoint endpoint)
    {
        var status = await HandleCoreAsync(http, endpoint);
        metrics.Request(status);
    }

    private async Task<int> HandleCoreAsync(HttpContext http, SegmentEndpoint endpoint)
    {
        var response = http.Response;
        PracticeContext? practice = null;
        var headerKey = WriteKeyReader.FromHeader(http.Request);
        if (headerKey is not null && !practices.TryAuthenticate(headerKey, out practice))
        {
            return await RefuseUnauthenticatedAsync(response, "unknown-write-key");
        }

        var limit = endpoint.IsBatch ? _limits.MaxBatchBytes : _limits.MaxEventBytes;
        var (body, failure) = await IngestBodyReader.ReadAsync(http.Request, limit, http.RequestAborted);
        if (failure is not null)
        {
            return await FailAsync(response, failure);
        }

        using (body)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(WithoutUtf8Bom(body!.Memory), new JsonDocumentOptions
                {
                    MaxDepth = _limits.MaxJsonDepth,
                    AllowDuplicateProperties = false,
                    AllowTrailingCommas = false,
                    CommentHandling = JsonCommentHandling.Disallow,
                });
            }
            catch (JsonException ex)
            {
                // The exception's message can quote request bytes; only its position is reported.
                return await FailAsync(response, IngestFailure.Malformed(
                    $"The body is not valid JSON (syntax, duplicate keys or nesting deeper than {_limits.MaxJsonDepth}) near line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}."));
            }
            catch (InvalidOperationException)
            {
                // The duplicate-key check unescapes property names, and throws on one holding a lone surrogate ("\ud800").
                return await FailAsync(response, IngestFailure.Malformed("The body is not valid JSON: a property name is not valid Unicode text (an escaped lone surrogate)."));
            }

            using (document)
            {
                var root = document.RootElement;
                if (practice is null)
                {
                    var bodyKey = WriteKeyReader.FromBody(root);
                    if (bodyKey is null || !practices.TryAuthenticate(bodyKey, out practice))
                    {
                        return await RefuseUnauthenticatedAsync(response, bodyKey is null ? "missing-write-key" : "unknown-write-key");
                    }
                }

                if (!policies.TryGetPolicy(practice, out var policy))
                {
                    return await FailAsync(response, IngestFailure.Unavailable("The practice's policy is not loaded."));
                }

                List<JsonElement> events;
                if (endpoint.IsBatch)
                {
                    if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("batch"u8, out var batch) || batch.ValueKind != JsonValueKind.Array)
                    {
                        return await FailAsync(response, IngestFailure.Malformed("A batch body is an object with a 'batch' array of events."));
                    }

                    if (batch.GetArrayLength() > _limits.MaxEventsPerBatch)
                    {
                        return await FailAsync(response, IngestFailure.TooLarge(_limits.MaxEventsPerBatch, "number of events in the batch"));
                    }

                    events = [.. batch.EnumerateArray()];
                }
                else
                {
                    events = [root];
                }

                foreach (var e in events)
                {
                    if (System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(e).Length > _limits.MaxEventBytes)
                    {
                        return await FailAsync(response, IngestFailure.TooLarge(_limits.MaxEventBytes, "event"));
                    }
                }

                var outcome = await ProcessEventsAsync(practice, policy, events, endpoint.ImpliedType, keepInvalid: true);
                return await WriteAsync(response, outcome);
            }
        }
    }

    /// <summary>
    /// Runs events through the whole pipeline for a practice. Used by ingest and by quarantine replay
    /// (<paramref name="keepInvalid"/> false: an event still invalid is not quarantined a second time).
    /// </summary>
    public async Task<IngestOutcome> ProcessEventsAsync(PracticeContext practice, CompiledPolicy policy, IReadOnlyList<JsonElement> events, string? impliedType, bool keepInvalid)
    {
        var stopping = lifetime.ApplicationStopping;
        var processor = processors.Get();
        try
        {
            var now = time.GetUtcNow();
            var scrub = GatewayTracing.Start("gateway.scrub", practice.Id, policy.Name);
            scrub?.SetTag("gateway.events", events.Count);
            processor.Reset(practice, DateOnly.FromDateTime(now.UtcDateTime), _limits.MaxEventBytes);
            var results = new List<EventResult>(events.Count);
            var quarantined = new Dictionary<int, long>();
            IReadOnlyList<EventDisclosure> disclosures;
            DuplicateClaim claim;
            try
            {
                for (var i = 0; i < events.Count; i++)
                {
                    results.Add(processor.Process(i, events[i], impliedType, policy));
                }

                if (keepInvalid)
                {
                    foreach (var result in results.Where(QuarantineService.ShouldKeep))
                    {
                        quarantined[result.Index] = await quarantine.KeepAsync(practice, policy, result, events[result.Index], impliedType, stopping);
                    }
                }

                var forwardable = results.Where(r => r.Disposition == EventDisposition.Forward).Select(r => (r, events[r.Index])).ToList();
                claim = await duplicates.ClaimAsync(practice.Id, await disclosure.DecideAsync(practice, policy, forwardable, processor, now, stopping), now, stopping);
                disclosures = claim.Disclosures;
            }
            catch (StoreUnavailableException ex)
            {
                Log.StoreUnavailable(logger, ex.Store, practice.Id);
                return IngestOutcome.Failed(IngestFailure.Unavailable($"The {ex.Store} store cannot be used right now; nothing was forwarded. Retry later."));
            }
            catch (KeyRingUnavailableException)
            {
                Log.KeyRingUnavailable(logger, practice.Id);
                return IngestOutcome.Failed(IngestFailure.Unavailable("The encryption key ring is unavailable; nothing was forwarded. Retry later."));
            }
            finally
            {
                scrub?.Dispose();
            }

            var completed = false;
            try
            {
                if (claim.InFlight)
                {
                    return IngestOutcome.Failed(IngestFailure.Unavailable("An event with the same messageId is being processed by another request; nothing was forwarded. Retry later."));
                }

                var outcome = await DiscloseAsync(practice, policy, processor, results, quarantined, disclosures, now, stopping);
                if (outcome.Failure is null)
                {
                    // The events are delivered or queued: a store failure now only shortens their protection to the claim's lease.
                    completed = true;
                    await duplicates.CompleteAsync(practice.Id, claim, time.GetUtcNow(), stopping);
                }

                return outcome;
            }
            finally
            {
                if (!completed)
                {
                    await duplicates.ReleaseAsync(practice.Id, claim);
                }
            }
        }
        finally
        {
            processors.Return(processor);
        }
    }

    /// <summary>Audits every event, then forwards (or queues) what each destination may have.</summary>
    private async Task<IngestOutcome> DiscloseAsync(PracticeContext practice, CompiledPolicy policy, EventProcessor processor, List<EventResult> results,
        Dictionary<int, long> quarantined, IReadOnlyList<EventDisclosure> disclosures, DateTimeOffset now, CancellationToken stopping)
    {
        var byIndex = disclosures.ToDictionary(d => d.Result.Index);
        var auditBodies = new List<byte[]>(results.Count);
        foreach (var result in results)
        {
            var (outcome, reason, decisions) = byIndex.TryGetValue(result.Index, out var d)
                ? (d.Outcome, d.Reason, d.Decisions)
                : (Outcome(result.Disposition), result.Reason, (IReadOnlyList<DestinationDecision>)[]);
            auditBodies.Add(EventAuditFormatter.Format(result, practice, policy, outcome, reason, decisions,
                quarantined.TryGetValue(result.Index, out var qid) ? qid : null));
            metrics.Event(practice.Id, policy.Name, outcome, reason);
            foreach (var decision in decisions)
            {
                metrics.Decision(practice.Id, decision.Destination, decision.Deidentified ? "deidentified" : decision.Outcome, decision.Reason);
            }
        }

        try
        {
            using var auditing = GatewayTracing.Start("gateway.audit", practice.Id, policy.Name);
            auditing?.SetTag("gateway.records", auditBodies.Count);
            await audit.AppendAsync(auditBodies, stopping);
        }
        catch (AuditUnavailableException)
        {
            Log.AuditUnavailable(logger, practice.Id);
            return IngestOutcome.Failed(IngestFailure.Unavailable("The audit log cannot record events right now; nothing was forwarded. Retry later."));
        }

        var queued = new HashSet<int>();
        foreach (var destination in policy.Destinations)
        {
            var selected = disclosures.Where(e => e.Outputs.ContainsKey(destination.Name)).ToList();
            if (selected.Count == 0)
            {
                continue;
            }

            ReadOnlyMemory<byte> Bytes(EventDisclosure e) => e.Outputs[destination.Name];

            var messageIds = selected.Select(e => e.Result.MessageId!).ToList();
            var scrubbed = selected.Select(e => (e.Result, Bytes(e))).ToList();
            string? error;
            int? status;
            if (destination.Kind != DestinationKind.Scoring)
            {
                // Ad platforms are third parties on the internet: their conversions always go through the outbox, so
                // a slow or refusing platform never holds up the request or the scoring service's delivery.
                (error, status) = ("queued-for-platform", null);
            }
            else if (outbox.HasPending(practice.Id, destination.Name))
            {
                (error, status) = ("queued-behind-earlier-events", null);
            }
            else
            {
                // The disclosure is made recoverable before it happens: the events wait in the outbox, held by this
                // instance, so a crash after the destination took them still ends in exactly one delivery record.
                IReadOnlyList<OutboxEntry> held;
                try
                {
                    held = await outbox.HoldAsync(practice, policy, destination, scrubbed, now, stopping);
                }
                catch (StoreUnavailableException ex)
                {
                    Log.StoreUnavailable(logger, ex.Store, practice.Id);
                    return IngestOutcome.Failed(IngestFailure.Unavailable("The outbox cannot hold the events while they are forwarded; nothing was forwarded. Retry later."));
                }

                // Events already waiting under the same message id stay with the delivery worker.
                var heldIds = held.Select(e => e.MessageId).ToHashSet(StringComparer.Ordinal);
                foreach (var e in selected.Where(e => !heldIds.Contains(e.Result.MessageId!)))
                {
                    queued.Add(e.Result.Index);
                }

                if (held.Count == 0)
                {
                    continue;
                }

                var sending = selected.Where(e => heldIds.Contains(e.Result.MessageId!)).ToList();

                // Once audited as forwarded, the attempt is made even if the client goes away, so the audit matches reality.
                var body = ForwardBatchWriter.Write(practice.Id, policy.Name, policy.Version, policy.Sha256, now, [.. sending.Select(Bytes)]);
                ForwardResult forwarded;
                using (var span = GatewayTracing.Forward(practice.Id, policy.Name, destination.Name, sending.Count))
                {
                    forwarded = await forwarder.SendAsync(destination.Cluster, body, stopping);
                    GatewayTracing.Finish(span, forwarded);
                }

                metrics.Delivery(destination.Name, forwarded.Outcome.ToString(), sending.Count);
                if (forwarded.Delivered)
                {
                    try
                    {
                        await deliveries.DeliveredAsync(held, forwarded.Status, "direct", stopping);
                    }
                    catch (StoreUnavailableException ex)
                    {
                        // Forwarded, and still held in the outbox: sent again and recorded when the hold expires.
                        Log.StoreUnavailable(logger, ex.Store, practice.Id);
                    }

                    continue;
                }

                await outbox.ReleaseAsync(held, now, forwarded.Error ?? "not-delivered", stopping);
                audit.Enqueue(GatewayAuditRecords.Delivery(practice.Id, destination.Name, destination.Cluster, [.. held.Select(e => e.MessageId)], false, forwarded.Status, forwarded.Error, "direct", queued: true));
                foreach (var e in sending)
                {
                    queued.Add(e.Result.Index);
                }

                continue;
            }

            try
            {
                await outbox.EnqueueAsync(practice, policy, destination, scrubbed, now, error ?? "not-delivered", stopping);
            }
            catch (StoreUnavailableException ex)
            {
                Log.StoreUnavailable(logger, ex.Store, practice.Id);
                audit.Enqueue(GatewayAuditRecords.Delivery(practice.Id, destination.Name, destination.Cluster, messageIds, false, status, error, "direct"));
                return IngestOutcome.Failed(IngestFailure.Unavailable("A destination could not take the events and the outbox cannot hold them; nothing was acknowledged. Retry later."));
            }

            audit.Enqueue(GatewayAuditRecords.Delivery(practice.Id, destination.Name, destination.Cluster, messageIds, false, status, error, "direct", queued: true));
            foreach (var e in selected)
            {
                queued.Add(e.Result.Index);
            }
        }

        return new IngestOutcome
        {
            Total = results.Count,
            Queued = queued.Count,
            Delivered = disclosures.Count(d => d.Outcome == "forward" && !queued.Contains(d.Result.Index)),
            Dropped = results.Count(r => r.Disposition == EventDisposition.Dropped) + disclosures.Count(d => d.Outcome != "forward"),
            Rejected = [.. results.Where(r => r.Disposition == EventDisposition.Rejected).Select(r => (r, quarantined.TryGetValue(r.Index, out var q) ? q : (long?)null))],
        };
    }

    private static async Task<int> WriteAsync(HttpResponse response, IngestOutcome outcome)
    {
        if (outcome.Failure is { } failure)
        {
            return await FailAsync(response, failure);
        }

        if (outcome.Rejected.Count > 0)
        {
            await IngestResponses.RejectedEventsAsync(response, outcome.Total, outcome.Rejected);
            return StatusCodes.Status400BadRequest;
        }

        await IngestResponses.SuccessAsync(response);
        return StatusCodes.Status200OK;
    }

    /// <summary>
    /// A leading UTF-8 byte order mark is skipped (RFC 8259 allows a parser to ignore it). Segment SDKs never send
    /// one, but a hand-made or proxied body may, and it says nothing about the events. Only one is skipped.
    /// </summary>
    private static ReadOnlyMemory<byte> WithoutUtf8Bom(ReadOnlyMemory<byte> body) =>
        body.Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? body[3..] : body;

    private static string Outcome(EventDisposition disposition) => disposition switch
    {
        EventDisposition.Forward => "forward",
        EventDisposition.Dropped => "dropped",
        _ => "rejected",
    };

    private async Task<int> RefuseUnauthenticatedAsync(HttpResponse response, string reason)
    {
        metrics.AuthFailure("ingest", reason);
        audit.Enqueue(GatewayAuditRecords.AuthFailure("ingest", reason));
        return await FailAsync(response, IngestFailure.Unauthorized());
    }

    private static async Task<int> FailAsync(HttpResponse response, IngestFailure failure)
    {
        await IngestResponses.FailureAsync(response, failure);
        return failure.Status;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "Audit log unavailable; refused a request of practice {Practice} with 503")]
        public static partial void AuditUnavailable(ILogger logger, string practice);

        [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "The {Store} store is unavailable; refused a request of practice {Practice} with 503")]
        public static partial void StoreUnavailable(ILogger logger, string store, string practice);

        [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "The Data Protection key ring is unavailable; refused a request of practice {Practice} with 503")]
        public static partial void KeyRingUnavailable(ILogger logger, string practice);
    }
}
