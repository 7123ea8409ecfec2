using System.Text.Json;
using Gateway.Compliance.Audit;
using Gateway.Compliance.Policies;
using Gateway.Compliance.Practices;
using Gateway.Compliance.Processing;
using Gateway.Server.Auditing;
using Gateway.Server.Configuration;
using Gateway.Server.Disclosure;
using Gateway.Storage;
using Gateway.Server.Forwarding;
using Gateway.Server.Hosting;
using Gateway.Server.Policies;
using Gateway.Server.Practices;
using Microsoft.Extensions.ObjectPool;
using Microsoft.Extensions.Options;

namespace Gateway.Server.Ingest;

/// <summary>
/// One ingest request, end to end: authenticate the practice, read the body within limits, run every
/// event through the engine, make the audit records durable, and only then forward the scrubbed events.
/// The answer is 2xx only when every event was forwarded or deliberately dropped by policy.
/// </summary>
internal sealed partial class IngestPipeline(
    PracticeDirectory practices,
    PolicyProvider policies,
    IAuditLog audit,
    IDestinationForwarder forwarder,
    DisclosureDecider disclosure,
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

                return await ProcessAsync(http, endpoint, practice, policy, root);
            }
        }
    }

    private async Task<int> ProcessAsync(HttpContext http, SegmentEndpoint endpoint, PracticeContext practice, CompiledPolicy policy, JsonElement root)
    {
        var response = http.Response;
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

        var processor = processors.Get();
        try
        {
            var now = time.GetUtcNow();
            processor.Reset(practice, DateOnly.FromDateTime(now.UtcDateTime));
            var results = new List<EventResult>(events.Count);
            for (var i = 0; i < events.Count; i++)
            {
                results.Add(processor.Process(i, events[i], endpoint.ImpliedType, policy));
            }

            var forwardable = results.Where(r => r.Disposition == EventDisposition.Forward).Select(r => (r, events[r.Index])).ToList();
            IReadOnlyList<EventDisclosure> disclosures;
            try
            {
                disclosures = await disclosure.DecideAsync(practice, policy, forwardable, processor, now, lifetime.ApplicationStopping);
            }
            catch (StoreUnavailableException ex)
            {
                Log.StoreUnavailable(logger, ex.Store, practice.Id);
                return await FailAsync(response, IngestFailure.Unavailable("Consent or BAA records cannot be read right now; nothing was forwarded. Retry later."));
            }

            var byIndex = disclosures.ToDictionary(d => d.Result.Index);
            var auditBodies = new List<byte[]>(results.Count);
            foreach (var result in results)
            {
                var (outcome, reason, decisions) = byIndex.TryGetValue(result.Index, out var d)
                    ? (d.Outcome, d.Reason, d.Decisions)
                    : (Outcome(result.Disposition), result.Reason, (IReadOnlyList<DestinationDecision>)[]);
                auditBodies.Add(EventAuditFormatter.Format(result, practice, policy, outcome, reason, decisions));
                metrics.Event(policy.Name, outcome, reason);
            }

            try
            {
                await audit.AppendAsync(auditBodies, lifetime.ApplicationStopping);
            }
            catch (AuditUnavailableException)
            {
                Log.AuditUnavailable(logger, practice.Id);
                return await FailAsync(response, IngestFailure.Unavailable("The audit log cannot record events right now; nothing was forwarded. Retry later."));
            }

            var forwardFailed = false;
            foreach (var destination in policy.Destinations)
            {
                var selected = disclosures.Where(e => e.Outputs.ContainsKey(destination.Name)).ToList();
                if (selected.Count == 0)
                {
                    continue;
                }

                var body = ForwardBatchWriter.Write(practice.Id, policy, now, [.. selected.Select(e =>
                {
                    var (offset, length) = e.Outputs[destination.Name];
                    return processor.Written.Slice(offset, length);
                })]);

                // Once audited as forwarded, the attempt is made even if the client goes away, so the audit matches reality.
                var forwarded = await forwarder.SendAsync(destination.Cluster, body, lifetime.ApplicationStopping);
                var messageIds = selected.Select(e => e.Result.MessageId!).ToList();
                audit.Enqueue(GatewayAuditRecords.Delivery(practice.Id, destination.Name, destination.Cluster, messageIds,
                    forwarded.Delivered, forwarded.Status, forwarded.Error, "direct"));
                metrics.Delivery(destination.Name, forwarded.Outcome.ToString(), selected.Count);
                forwardFailed |= !forwarded.Delivered;
            }

            if (forwardFailed)
            {
                return await FailAsync(response, IngestFailure.Unavailable("A destination could not take the events; they were not delivered. Retry later."));
            }

            var rejected = results.Where(r => r.Disposition == EventDisposition.Rejected).ToList();
            if (rejected.Count > 0)
            {
                await IngestResponses.RejectedEventsAsync(response, results.Count, rejected);
                return StatusCodes.Status400BadRequest;
            }

            await IngestResponses.SuccessAsync(response);
            return StatusCodes.Status200OK;
        }
        finally
        {
            processors.Return(processor);
        }
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
    }
}
