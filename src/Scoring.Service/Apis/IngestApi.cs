using System.Buffers;
using System.Data.Common;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Scoring.Service.Hosting;
using Scoring.Service.Ingest;
using Scoring.Service.Options;
using Scoring.Service.Security;

namespace Scoring.Service.Apis;

/// <summary>
/// <c>POST /ingest/v1/batch</c>: the receiving side of docs/forwarded-events.md. 200 only once every event is
/// durably stored (or was already: a retried batch reports duplicates and changes nothing); 400 for a batch that
/// can never be accepted (the gateway dead-letters it); 401 without the gateway's token; 503 to retry later.
/// </summary>
internal static class IngestApi
{
    public static IEndpointRouteBuilder MapIngestApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/ingest/v1/batch", IngestAsync)
            .AddEndpointFilter<IngestTokenFilter>()
            .WithName("IngestBatch");
        return app;
    }

    private static async Task<Results<Ok<IngestResponse>, ValidationProblem, ProblemHttpResult>> IngestAsync(
        HttpRequest request, IngestService ingest, ScoringCatalog catalog, IOptions<IngestOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var receivedAt = time.Now();
        if (request.ContentType is { } contentType && !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "The batch must be application/json");
        }

        var max = options.Value.MaxBatchBytes;
        if (request.ContentLength > max)
        {
            return TooLarge(max);
        }

        var body = await ReadAsync(request.Body, max, cancellationToken);
        if (body is null)
        {
            return TooLarge(max);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.Value, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The batch is not valid JSON");
        }

        using (document)
        {
            var (batch, errors) = BatchParser.Parse(document.RootElement, catalog.IsKnown, receivedAt);
            if (batch is null)
            {
                return TypedResults.ValidationProblem(errors, title: "The batch is malformed");
            }

            try
            {
                var result = await ingest.IngestAsync(batch, cancellationToken);
                return TypedResults.Ok(new IngestResponse(result.Accepted, result.Duplicates));
            }
            catch (DbException)
            {
                request.HttpContext.Response.Headers.RetryAfter = "5";
                return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The store is unavailable; retry later");
            }
        }
    }

    private static ProblemHttpResult TooLarge(int max) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The batch is too large", detail: $"Batches are limited to {max} bytes.");

    /// <summary>Reads the body up to <paramref name="max"/> bytes; null if it is longer.</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadAsync(Stream body, int max, CancellationToken cancellationToken)
    {
        var writer = new ArrayBufferWriter<byte>(16 * 1024);
        while (true)
        {
            var memory = writer.GetMemory(8 * 1024);
            var read = await body.ReadAsync(memory, cancellationToken);
            if (read == 0)
            {
                return writer.WrittenMemory;
            }

            writer.Advance(read);
            if (writer.WrittenCount > max)
            {
                return null;
            }
        }
    }
}

/// <summary>The ingest response the gateway's contract specifies.</summary>
internal sealed record IngestResponse(int Accepted, int Duplicates);
