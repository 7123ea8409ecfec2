namespace Gateway.Server.ComplianceConsole;

/// <summary>
/// Headers on every console response: a Content-Security-Policy that allows only the gateway's own
/// script, style and images (no inline script, no other origin, no framing), no caching (pages can show
/// an inspected event), no referrer, no MIME sniffing.
/// </summary>
internal static class ConsoleSecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
        headers.CacheControl = "no-store";
        headers.Pragma = "no-cache";
        headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
    }
}
