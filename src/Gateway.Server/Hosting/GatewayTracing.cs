using System.Diagnostics;
using Gateway.Server.Forwarding;

namespace Gateway.Server.Hosting;

/// <summary>
/// The gateway's spans (activity source <c>Gateway</c>): scrub, audit and forward inside the ingest request's
/// server span, and outbox deliveries; the forward span's W3C trace context reaches the scoring service with the
/// batch. Tags are practice ids, verticals, destinations, counts and outcomes: never event values or ids.
/// </summary>
internal static class GatewayTracing
{
    public const string SourceName = "Gateway";

    public static readonly ActivitySource Source = new(SourceName);

    public static Activity? Start(string name, string practice, string vertical, ActivityKind kind = ActivityKind.Internal)
    {
        var activity = Source.StartActivity(name, kind);
        activity?.SetTag("gateway.practice", practice);
        activity?.SetTag("gateway.vertical", vertical);
        return activity;
    }

    /// <summary>A client span around one forwarded batch; YARP's handler puts its context into <c>traceparent</c>.</summary>
    public static Activity? Forward(string practice, string vertical, string destination, int events)
    {
        var activity = Start("gateway.forward", practice, vertical, ActivityKind.Client);
        activity?.SetTag("gateway.destination", destination);
        activity?.SetTag("gateway.events", events);
        return activity;
    }

    public static void Finish(Activity? activity, ForwardResult result)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("gateway.outcome", result.Outcome.ToString());
        activity.SetTag("http.response.status_code", result.Status);
        if (!result.Delivered)
        {
            activity.SetStatus(ActivityStatusCode.Error, result.Error);
        }
    }
}
