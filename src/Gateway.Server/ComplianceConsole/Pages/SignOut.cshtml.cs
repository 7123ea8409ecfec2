using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gateway.Server.ComplianceConsole.Pages;

/// <summary>Ends the session (POST with the anti-forgery token; the cookie is deleted).</summary>
internal sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/Index");

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(ConsoleRoles.Scheme);
        return LocalRedirect("/console/sign-in");
    }
}
