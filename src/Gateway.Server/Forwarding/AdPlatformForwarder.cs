using System.Diagnostics;
using System.Net.Http.Headers;
using Gateway.Compliance.Policies.Definitions;
using Gateway.Server.Configuration;
using Gateway.Server.Hosting;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy;

namespace Gateway.Server.Forwarding;

/// <summary>
/// Sends queued conversions to an ad platform (docs/destinations.md). The platform's address and HTTP client come
/// from the destination's YARP cluster (so tests and proxies can point it elsewhere); the practice's account says
/// which pixel or customer, and its token files are read when the request goes. Nothing but the rows the engine
/// built, the account ids and the tokens is sent; no header of any client request ever reaches a platform.
/// </summary>
internal sealed partial class AdPlatformForwarder(
    IProxyStateLookup proxyState,
    PlatformTokens tokens,
    IOptions<GatewayOptions> options,
    GatewayMetrics metrics,
    ILogger<AdPlatformForwarder> logger)
{
    /// <summary>Enough for Google's answer to a full batch with a partial failure on every row.</summary>
    private const int MaxAnswerBytes = 8 * 1024 * 1024;

    private readonly PlatformOptions _platforms = options.Value.Platforms;

    public async Task<ForwardResult> SendAsync(string practiceId, DestinationDefinition destination, IReadOnlyList<ReadOnlyMemory<byte>> rows, CancellationToken cancellationToken)
    {
        var account = options.Value.Practices.FirstOrDefault(p => p.Id == practiceId)?.Platforms.GetValueOrDefault(destination.Name);
        if (account is null)
        {
            return new ForwardResult(ForwardOutcome.Retryable, null, "platform-account-missing");
        }

        if (!proxyState.TryGetCluster(destination.Cluster, out var cluster) || cluster.Model.HttpClient is not { } client || cluster.Destinations.Count == 0)
        {
            Log.ClusterMissing(logger, destination.Cluster);
            return new ForwardResult(ForwardOutcome.Retryable, null, "cluster-not-configured");
        }

        var token = tokens.Read(account.AccessTokenFile);
        var developerToken = destination.Kind == DestinationKind.GoogleAdsConversions ? tokens.Read(account.DeveloperTokenFile) : "-";
        if (token is null || developerToken is null)
        {
            Log.TokenMissing(logger, practiceId, destination.Name);
            return new ForwardResult(ForwardOutcome.Retryable, null, "platform-token-missing");
        }

        var address = new Uri(cluster.Destinations.Values.First().Model.Config.Address);
        using var request = new HttpRequestMessage(HttpMethod.Post, (Uri?)null);
        if (destination.Kind == DestinationKind.MetaCapi)
        {
            request.RequestUri = new Uri(address, MetaCapiProtocol.Path(_platforms.MetaApiVersion, account.PixelId!));
            request.Content = new ByteArrayContent(MetaCapiProtocol.Body(rows, account.TestEventCode, token));
        }
        else
        {
            var customer = account.CustomerId!.Replace("-", string.Empty, StringComparison.Ordinal);
            request.RequestUri = new Uri(address, GoogleAdsProtocol.Path(_platforms.GoogleAdsApiVersion, customer));
            request.Content = new ByteArrayContent(GoogleAdsProtocol.Body(rows));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.TryAddWithoutValidation("developer-token", developerToken);
            if (account.LoginCustomerId is { } login)
            {
                request.Headers.TryAddWithoutValidation("login-customer-id", login.Replace("-", string.Empty, StringComparison.Ordinal));
            }
        }

        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(_platforms.TimeoutSeconds));
        var started = Stopwatch.GetTimestamp();
        ForwardResult result;
        try
        {
            using var response = await client.SendAsync(request, timeout.Token);
            var answer = await ReadAnswerAsync(response, timeout.Token);
            var retryAfter = response.Headers.RetryAfter is { } hint
                ? hint.Delta ?? (hint.Date is { } date ? date - DateTimeOffset.UtcNow : null)
                : null;
            var status = (int)response.StatusCode;
            result = destination.Kind == DestinationKind.MetaCapi
                ? MetaCapiProtocol.Interpret(status, answer, rows.Count, retryAfter)
                : GoogleAdsProtocol.Interpret(status, answer, rows.Count, retryAfter);
            if (!result.Delivered || result.RefusedRows.Count > 0)
            {
                Log.PlatformRefused(logger, destination.Name, practiceId, status, result.Error ?? string.Join(',', result.RefusedRows.Select(r => r.Code).Distinct()));
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            result = new ForwardResult(ForwardOutcome.Retryable, null, "timeout");
        }
        catch (HttpRequestException ex)
        {
            Log.PlatformUnreachable(logger, destination.Name, ex.HttpRequestError);
            result = new ForwardResult(ForwardOutcome.Retryable, null, "network-error");
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            // The answer broke off or could not be read: whether the platform took the rows is unknown, so they are sent
            // again (both platforms drop a conversion they already have: Meta by event_id, Google by orderId).
            Log.PlatformUnreachable(logger, destination.Name, HttpRequestError.ResponseEnded);
            result = new ForwardResult(ForwardOutcome.Retryable, null, "answer-unreadable");
        }

        metrics.Forwarded(destination.Cluster, result.Outcome.ToString(), Stopwatch.GetElapsedTime(started));
        return result;
    }

    private static async Task<byte[]> ReadAnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var answer = new MemoryStream();
        var buffer = new byte[1 << 16];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (answer.Length + read > MaxAnswerBytes)
            {
                throw new IOException("The platform's answer is larger than the gateway reads.");
            }

            answer.Write(buffer, 0, read);
        }

        return answer.ToArray();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2101, Level = LogLevel.Error, Message = "Ad-platform cluster {Cluster} is not configured in ReverseProxy:Clusters")]
        public static partial void ClusterMissing(ILogger logger, string cluster);

        [LoggerMessage(EventId = 2102, Level = LogLevel.Error, Message = "The token file for destination {Destination} of practice {Practice} is missing or empty; conversions wait")]
        public static partial void TokenMissing(ILogger logger, string practice, string destination);

        [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Destination {Destination} of practice {Practice} answered {Status}: {Code}")]
        public static partial void PlatformRefused(ILogger logger, string destination, string practice, int status, string code);

        [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "Destination {Destination} could not be reached: {Error}")]
        public static partial void PlatformUnreachable(ILogger logger, string destination, HttpRequestError error);
    }
}
