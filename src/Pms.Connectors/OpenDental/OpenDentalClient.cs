using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Pms.Connectors.OpenDental;

/// <summary>
/// Open Dental's REST API as documented (opendental.com/site/apispecification.html): the
/// <c>Authorization: ODFHIR {DeveloperKey}/{CustomerKey}</c> header, lists in pages of <c>Limit</c> items from
/// <c>Offset</c> (continue while a page is full), and the connector's own rate limit. 429 and 5xx are retried with
/// backoff (honouring <c>Retry-After</c>); 401/403 stop the run at once.
/// </summary>
public sealed class OpenDentalClient
{
    private readonly HttpClient _http;
    private readonly OpenDentalOptions _options;
    private readonly TimeProvider _time;
    private readonly AuthenticationHeaderValue _authorization;
    private DateTimeOffset _nextRequestAt = DateTimeOffset.MinValue;

    public OpenDentalClient(HttpClient http, OpenDentalOptions options, TimeProvider time)
    {
        options.Validate();
        _http = http;
        _options = options;
        _time = time;
        _authorization = new AuthenticationHeaderValue("ODFHIR", $"{options.DeveloperKey}/{options.CustomerKey}");
    }

    /// <summary>Requests made (for tests and status).</summary>
    public int Requests { get; private set; }

    /// <summary>Every item of a list resource, page by page.</summary>
    public async IAsyncEnumerable<JsonElement> ListAsync(string resource, IReadOnlyDictionary<string, string>? query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var offset = 0; ; offset += _options.PageSize)
        {
            var parameters = new Dictionary<string, string>(query ?? new Dictionary<string, string>(), StringComparer.Ordinal)
            {
                ["Limit"] = _options.PageSize.ToString(CultureInfo.InvariantCulture),
                ["Offset"] = offset.ToString(CultureInfo.InvariantCulture),
            };
            using var page = await GetAsync(resource, parameters, cancellationToken);
            if (page.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new OpenDentalException($"GET {resource}: expected a JSON array");
            }

            var count = 0;
            foreach (var item in page.RootElement.EnumerateArray())
            {
                count++;
                yield return item.Clone();
            }

            if (count < _options.PageSize)
            {
                yield break;
            }
        }
    }

    /// <summary>One resource (<c>patients/48</c>); null when Open Dental answers 404.</summary>
    public async Task<JsonElement?> GetOneAsync(string resource, CancellationToken cancellationToken)
    {
        using var document = await GetAsync(resource, null, cancellationToken, allowNotFound: true);
        return document?.RootElement.Clone();
    }

    private async Task<JsonDocument> GetAsync(string resource, IReadOnlyDictionary<string, string>? query, CancellationToken cancellationToken) =>
        (await GetAsync(resource, query, cancellationToken, allowNotFound: false))!;

    private async Task<JsonDocument?> GetAsync(string resource, IReadOnlyDictionary<string, string>? query, CancellationToken cancellationToken, bool allowNotFound)
    {
        var uri = new Uri(_options.BaseUrl, resource + (query is null ? string.Empty : "?" + string.Join('&', query.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"))));
        var name = resource.Split('/')[0];
        var delay = _options.RetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            await ThrottleAsync(cancellationToken);
            TimeSpan? retryAfter = null;
            string failure;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                request.Headers.Authorization = _authorization;
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                Requests++;
                using var response = await _http.SendAsync(request, cancellationToken);
                var status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
                }

                if (status is 401 or 403)
                {
                    throw new OpenDentalException($"GET {name}: Open Dental refused the developer/customer keys ({status}); check the key files and that the office enabled the customer key", status);
                }

                if (status == 404 && allowNotFound)
                {
                    return null;
                }

                if (status != 429 && status < 500)
                {
                    throw new OpenDentalException($"GET {name}: Open Dental answered {status}", status);
                }

                retryAfter = response.Headers.RetryAfter?.Delta;
                failure = $"GET {name}: Open Dental answered {status}";
            }
            catch (HttpRequestException ex)
            {
                failure = $"GET {name}: Open Dental could not be reached ({ex.HttpRequestError})";
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failure = $"GET {name}: Open Dental did not answer in time";
            }
            catch (JsonException)
            {
                throw new OpenDentalException($"GET {name}: the answer is not JSON");
            }

            if (attempt >= _options.MaxAttempts)
            {
                throw new OpenDentalException($"{failure} after {attempt} attempt(s)");
            }

            var wait = retryAfter is { } after && after > delay ? after : delay;
            await Task.Delay(wait, _time, cancellationToken);
            delay += delay;
        }
    }

    private async Task ThrottleAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_nextRequestAt > now)
        {
            await Task.Delay(_nextRequestAt - now, _time, cancellationToken);
            now = _time.GetUtcNow();
        }

        _nextRequestAt = now + _options.MinRequestInterval;
    }
}
