using System.Globalization;
using System.Security.Claims;
using Gateway.Compliance.Audit;
using Gateway.Server.Admin;
using Gateway.Server.Auditing;
using Gateway.Server.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Gateway.Server.ComplianceConsole.Pages;

/// <summary>Sign-in with an admin key; a failed attempt is audited (never the presented key) and counted like the admin API's.</summary>
internal sealed class SignInModel(AdminKeyDirectory keys, IAuditLog audit, GatewayMetrics metrics, TimeProvider time, IOptions<ConsoleOptions> options) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public int IdleMinutes => options.Value.IdleMinutes;

    public int MaxHours => options.Value.MaxHours;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync([FromForm] string? key)
    {
        if (key is null || !keys.TryAuthenticate(key.Trim(), out var identity))
        {
            var reason = string.IsNullOrEmpty(key) ? "missing-admin-key" : "unknown-admin-key";
            metrics.AuthFailure(ConsoleAudit.Surface, reason);
            await audit.AppendAsync([GatewayAuditRecords.AuthFailure(ConsoleAudit.Surface, reason)]);
            Error = "That key is not an admin key of this gateway.";
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, identity.Name),
            new Claim(ClaimTypes.Role, identity.Role),
            new Claim(ConsoleRoles.SignedInAt, time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
        ], ConsoleRoles.Scheme));
        await HttpContext.SignInAsync(ConsoleRoles.Scheme, principal, new AuthenticationProperties { IsPersistent = false, AllowRefresh = true });
        HttpContext.User = principal;
        return LocalRedirect(ReturnUrl is { } url && url.StartsWith("/console", StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal) ? url : "/console");
    }
}
