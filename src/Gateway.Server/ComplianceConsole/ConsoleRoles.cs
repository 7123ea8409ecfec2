using System.Security.Claims;
using Gateway.Server.Admin;

namespace Gateway.Server.ComplianceConsole;

/// <summary>
/// The console's roles are the admin keys' roles: <c>compliance</c> sees and exports, <c>admin</c> also
/// changes (records a revocation, adds or ends a BAA, replays or discards, inspects a quarantined event).
/// </summary>
internal static class ConsoleRoles
{
    public const string Scheme = "gateway-console";

    /// <summary>Authorization policy: signed in with a compliance or admin key.</summary>
    public const string Reader = "console-reader";

    /// <summary>Authorization policy: signed in with an admin key.</summary>
    public const string Changer = "console-admin";

    /// <summary>The claim holding the sign-in time (Unix seconds), for the absolute session limit.</summary>
    public const string SignedInAt = "gateway:signed-in-at";

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(AdminIdentity.AdminRole);

    public static string KeyName(this ClaimsPrincipal user) => user.Identity?.Name ?? "anonymous";

    public static string Role(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Role) ?? string.Empty;
}
