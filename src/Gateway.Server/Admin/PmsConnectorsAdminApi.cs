namespace Gateway.Server.Admin;

/// <summary>
/// <c>GET /admin/v1/pms/connectors</c> (compliance role): each practice-management connector's cursors, rows read,
/// sent, refused and already sent, and its last run (docs/pms.md#connector-status).
/// </summary>
internal static class PmsConnectorsAdminApi
{
    public static IEndpointRouteBuilder MapPmsConnectorsAdminApi(this IEndpointRouteBuilder endpoints)
    {
        // Created now, so its /metrics gauge exists from the start.
        endpoints.ServiceProvider.GetRequiredService<PmsConnectorStatusReader>();
        endpoints.MapGet("/admin/v1/pms/connectors", (PmsConnectorStatusReader reader) => reader.Configured
                ? Results.Ok(new { connectors = reader.Read() })
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No connector state file",
                    detail: $"Set {PmsConnectorStatusReader.SettingName} to the state file the connectors write (gatewayctl pms --state)."))
            .WithMetadata(new AdminRoleRequirement(AdminIdentity.ComplianceRole));
        return endpoints;
    }
}
