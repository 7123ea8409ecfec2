using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Server.Tests.Support;
using Gateway.Testing;

namespace Gateway.Server.Tests.Hosting;

/// <summary>
/// Metrics and traces as an operator collects them: <c>/metrics</c> scraped on the admin port (Prometheus text)
/// after real events, and an OTLP/HTTP export to a collector on loopback. Canary PHI planted in the events, the
/// URL, the user agent and the ids must appear in no metric label and no span attribute.
/// <para>
/// Runs alone (<see cref="TelemetryCollection"/>): OpenTelemetry's meter provider subscribes to meters by name across the
/// whole process and shares one metric stream among same-named instruments, so a parallel test's gateway, disposed
/// mid-run, deactivates the stream this gateway's counters write to and they vanish from the scrape. One gateway per
/// process, as in production, has no such neighbour.
/// </para>
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTests
{
    private const string CanaryName = "Quorrabelle";
    private const string CanaryEmail = "quorrabelle.zint@canary-mail.test";
    private const string CanaryUser = "patient-canary-77120";
    private const string CanaryMessage = "msg-canary-55019";
    private const string CanaryAgent = "CanaryAgent/9.9 (quorrabelle)";

    private static readonly string[] s_canaries = [CanaryName, CanaryEmail, CanaryUser, CanaryMessage, CanaryAgent, "quorrabelle"];

    [Fact]
    public async Task Metrics_AreScrapedOnTheAdminPort_AndOtlpExportsMetricsAndSpans_WithoutPhi()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        var (ingestPort, adminPort) = (GatewayProcess.FreePort(), GatewayProcess.FreePort());
        await using var gateway = await GatewayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Admin:Port"] = adminPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Telemetry:Otlp:Endpoint"] = collector.Address,
            ["Telemetry:MetricExportIntervalMilliseconds"] = "500",
            ["Telemetry:TraceExportDelayMilliseconds"] = "100",
        }, kestrelPorts: [ingestPort, adminPort]);

        var client = gateway.Client();
        client.DefaultRequestHeaders.UserAgent.ParseAdd(CanaryAgent);
        var forwarded = Events.Track("Appointment Requested", new JsonObject
        {
            ["service_line"] = "implants",
            ["first_name"] = CanaryName,
            ["email"] = CanaryEmail,
            ["notes"] = $"My name is {CanaryName}, write to {CanaryEmail}.",
        }, CanaryMessage, CanaryUser);
        var noConsent = Events.Track("Service Page Viewed", new JsonObject { ["service_line"] = "implants" }, CanaryMessage + "-2", CanaryUser + "-b");
        noConsent["context"]!["consent"] = Events.Consent(analytics: false);
        var response = await client.PostAsync($"/v1/batch?email={Uri.EscapeDataString(CanaryEmail)}", Events.Json(Events.Batch(forwarded, noConsent)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // Prometheus scrape on the admin port; the public port does not serve it.
        using var admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{adminPort}") };
        // The exporter answers from a short scrape cache and the counters of one request are recorded at different
        // points of the pipeline: scrape until every expected series shows (or time out), then assert each.
        string[] expectedSeries =
        [
            "gateway_events_total\\{[^}]*outcome=\"forward\"[^}]*practice=\"test-dental\"[^}]*vertical=\"dental\"[^}]*\\} 1",
            "gateway_events_total\\{[^}]*outcome=\"dropped\"[^}]*reason=\"consent-missing\"[^}]*\\} 1",
            "gateway_disclosure_decisions_total\\{[^}]*destination=\"scoring\"[^}]*outcome=\"forward\"[^}]*\\} 1",
            "gateway_deliveries_total\\{[^}]*destination=\"scoring\"[^}]*outcome=\"Delivered\"[^}]*\\} 1",
        ];
        var scrape = await admin.GetStringAsync("/metrics");
        for (var attempt = 0; attempt < 100 && !expectedSeries.All(s => System.Text.RegularExpressions.Regex.IsMatch(scrape, s)); attempt++)
        {
            await Task.Delay(200);
            scrape = await admin.GetStringAsync("/metrics");
        }

        // When nothing of the gateway's shows, name the metric families the scrape did hold.
        Assert.True(scrape.Contains("gateway_events_total{", StringComparison.Ordinal),
            "no gateway_events_total series; families scraped: " + string.Join(", ", scrape.Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l[7..])));
        var gatewaySeries = string.Join('\n', scrape.Split('\n').Where(l => l.StartsWith("gateway_", StringComparison.Ordinal)));
        foreach (var series in expectedSeries)
        {
            Assert.True(System.Text.RegularExpressions.Regex.IsMatch(scrape, series), $"no series matches {series} in:\n{gatewaySeries}");
        }

        Assert.Contains("gateway_audit_fsync_duration_seconds_count", scrape);
        Assert.Contains("gateway_forward_duration_seconds_count{", scrape);
        Assert.Contains("gateway_outbox_depth", scrape);
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.AnonymousClient().GetAsync("/metrics")).StatusCode);

        // OTLP: metrics and the ingest trace (server span, scrub, audit, forward) reach the collector.
        await Wait.UntilAsync(() => collector.Text("/v1/traces").Contains("gateway.forward", StringComparison.Ordinal)
            && collector.Text("/v1/metrics").Contains("gateway.events", StringComparison.Ordinal), "spans and metrics at the collector", 30);
        var traces = collector.Text("/v1/traces");
        foreach (var span in new[] { "gateway.scrub", "gateway.audit", "gateway.forward", "POST /v1/batch" })
        {
            Assert.Contains(span, traces);
        }

        // W3C trace context: the scoring request carries a traceparent of a trace the collector received.
        var traceparent = gateway.Upstream.Requests.Single(r => r.Path == "/ingest/v1/batch").Headers["traceparent"];
        var traceId = Convert.FromHexString(traceparent.Split('-')[1]);
        Assert.True(collector.Exports.Any(e => e.Path == "/v1/traces" && e.Body.AsSpan().IndexOf(traceId) >= 0), "the forwarded batch's trace id is in the exported spans");

        var leaks = s_canaries.Where(c => scrape.Contains(c, StringComparison.OrdinalIgnoreCase) || collector.AllText.Contains(c, StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(leaks.Count == 0, "canaries in metrics or spans: " + string.Join(", ", leaks));
        Assert.DoesNotContain("canary-mail", collector.AllText + scrape, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>Tests that read process-wide telemetry run with no other test's gateway alive.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry (not in parallel)";
}
