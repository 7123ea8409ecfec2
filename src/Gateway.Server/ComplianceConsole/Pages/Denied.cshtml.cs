using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gateway.Server.ComplianceConsole.Pages;

/// <summary>Shown when a signed-in key lacks the role a page or action needs.</summary>
internal sealed class DeniedModel : PageModel
{
    public void OnGet()
    {
    }
}
