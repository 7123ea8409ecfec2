using System.Net;

namespace Gateway.Server.Policies;

/// <summary>
/// Checks the destinations events would travel to. Plain HTTP is refused unless the destination is on
/// loopback (the scoring service beside the gateway) or <c>Gateway:Forwarding:AllowInsecureDestinations</c>
/// is set for development; turning certificate validation off is refused outright (45 CFR 164.312(e)).
/// </summary>
internal static class TransportSafety
{
    public static IEnumerable<string> Check(IConfiguration configuration, bool allowInsecure)
    {
        foreach (var cluster in configuration.GetSection("ReverseProxy:Clusters").GetChildren())
        {
            if (bool.TryParse(cluster["HttpClient:DangerousAcceptAnyServerCertificate"], out var dangerous) && dangerous)
            {
                yield return $"cluster '{cluster.Key}': HttpClient:DangerousAcceptAnyServerCertificate is true; the gateway never forwards without validating the destination's certificate";
            }

            foreach (var destination in cluster.GetSection("Destinations").GetChildren())
            {
                var address = destination["Address"];
                if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                {
                    yield return $"cluster '{cluster.Key}', destination '{destination.Key}': Address must be an absolute http(s) URL";
                    continue;
                }

                if (uri.Scheme == Uri.UriSchemeHttp && !IsLoopback(uri) && !allowInsecure)
                {
                    yield return $"cluster '{cluster.Key}', destination '{destination.Key}': plain HTTP to a non-loopback host; use https (or set Gateway:Forwarding:AllowInsecureDestinations for development only)";
                }
            }
        }
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip));
}
