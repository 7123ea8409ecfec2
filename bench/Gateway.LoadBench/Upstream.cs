using System.Buffers;
using System.Globalization;

namespace Gateway.LoadBench;

/// <summary>
/// The minimal upstream every scenario ends at, standing where the scoring service's ingest endpoint stands:
/// reads the whole body, counts the events in it (occurrences of <c>"messageId"</c>), answers 200
/// <c>{"success":true}</c>. Accepts any path and any credentials. <c>GET /stats</c> gives the counts.
/// </summary>
internal static class Upstream
{
    private static readonly byte[] Success = "{\"success\":true}"u8.ToArray();

    public static int Run(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        long requests = 0;
        long events = 0;
        app.MapGet("/health/ready", () => Results.Ok());
        app.MapGet("/stats", () => Results.Text(string.Create(CultureInfo.InvariantCulture, $"{Interlocked.Read(ref requests)} {Interlocked.Read(ref events)}")));
        app.MapPost("/{**path}", async (HttpContext http) =>
        {
            var count = await CountEventsAsync(http.Request);
            Interlocked.Increment(ref requests);
            Interlocked.Add(ref events, count);
            http.Response.ContentType = "application/json";
            http.Response.ContentLength = Success.Length;
            await http.Response.Body.WriteAsync(Success);
        });
        app.Run();
        return 0;
    }

    private static async Task<int> CountEventsAsync(HttpRequest request)
    {
        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync();
            if (result.IsCompleted)
            {
                var buffer = result.Buffer;
                var count = Count(buffer);
                reader.AdvanceTo(buffer.End);
                return count;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private static int Count(ReadOnlySequence<byte> buffer)
    {
        if (buffer.IsSingleSegment)
        {
            return Count(buffer.FirstSpan);
        }

        var length = checked((int)buffer.Length);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            buffer.CopyTo(rented);
            return Count(rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static int Count(ReadOnlySpan<byte> body)
    {
        var count = 0;
        var marker = "\"messageId\""u8;
        int at;
        while ((at = body.IndexOf(marker)) >= 0)
        {
            count++;
            body = body[(at + marker.Length)..];
        }

        return count;
    }
}
