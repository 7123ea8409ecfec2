using Gateway.Compliance.Audit;
using Gateway.Server.Auditing;
using Gateway.Server.Configuration;
using Gateway.Server.Hosting;
using Gateway.Server.Ingest;
using Microsoft.Extensions.Options;

namespace Gateway.Server.Admin;

/// <summary>
/// Keeps the admin and ingest surfaces apart. With <c>Gateway:Admin:Port</c> set, <c>/admin</c> answers only
/// on that port and ingest never does. Admin calls need <c>Authorization: Bearer &lt;admin key&gt;</c> with the
/// endpoint's role; every call, and every failed authentication, is audited (key name, route, status; never
/// the presented key or the request body).
/// </summary>
internal sealed class AdminSurfaceMiddleware(RequestDelegate next, AdminKeyDirectory keys, IAuditLog audit, GatewayMetrics metrics, IOptions<GatewayOptions> options)
{
    public const string IdentityItem = "gateway.admin.identity";

    private readonly int? _adminPort = options.Value.Admin.Port;

    public async Task InvokeAsync(HttpContext http)
    {
        var isAdminPath = http.Request.Path.StartsWithSegments("/admin");
        var onAdminPort = _adminPort is { } port && http.Connection.LocalPort == port;
        var isHealth = http.Request.Path.StartsWithSegments("/health");
        if (_adminPort is not null && !isHealth && (isAdminPath || IsOperatorPath(http.Request.Path)) != onAdminPort)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (!isAdminPath)
        {
            await next(http);
            return;
        }

        http.Response.Headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
        var header = http.Request.Headers.Authorization.ToString();
        var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : string.Empty;
        if (!keys.TryAuthenticate(presented, out var identity))
        {
            var reason = presented.Length == 0 ? "missing-admin-key" : "unknown-admin-key";
            metrics.AuthFailure("admin", reason);
            audit.Enqueue(GatewayAuditRecords.AuthFailure("admin", reason));
            await IngestResponses.FailureAsync(http.Response, new IngestFailure(StatusCodes.Status401Unauthorized, "unauthorized", "Admin key required",
                "Send an admin key as 'Authorization: Bearer <key>'. Write keys are not admin keys."));
            return;
        }

        var required = http.GetEndpoint()?.Metadata.GetMetadata<AdminRoleRequirement>()?.Role ?? AdminIdentity.AdminRole;
        if (!identity.Satisfies(required))
        {
            await IngestResponses.FailureAsync(http.Response, new IngestFailure(StatusCodes.Status403Forbidden, "forbidden", "Role not allowed",
                $"This call needs the '{required}' role; the key has '{identity.Role}'."));
        }
        else
        {
            http.Items[IdentityItem] = identity;
            await next(http);
        }

        var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value ?? string.Empty;
        audit.Enqueue(GatewayAuditRecords.Write(writer =>
        {
            writer.WriteString(AuditJson.Kind, AuditKinds.Admin);
            writer.WriteString("key", identity.Name);
            writer.WriteString("role", identity.Role);
            writer.WriteString("method", http.Request.Method);
            writer.WriteString("route", route);
            if (http.Request.RouteValues.TryGetValue("practiceId", out var practice) && practice is string p)
            {
                writer.WriteString("practice", p);
            }

            writer.WriteNumber("status", http.Response.StatusCode);
        }));
    }

    /// <summary>Surfaces beside the admin API without a bearer key: metrics, the OpenAPI document, its reference, and the compliance console (its own sign-in).</summary>
    private static bool IsOperatorPath(PathString path) =>
        path.StartsWithSegments("/metrics") || path.StartsWithSegments("/openapi") || path.StartsWithSegments("/scalar") || path.StartsWithSegments("/console");
}
