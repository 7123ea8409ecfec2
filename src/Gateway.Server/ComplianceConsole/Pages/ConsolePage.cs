using Gateway.Server.Practices;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gateway.Server.ComplianceConsole.Pages;

/// <summary>
/// What every console page shares: the practice it shows (a configured practice id, never free text), the
/// caller's role, and the refusal of changes to keys without the <c>admin</c> role.
/// </summary>
internal abstract class ConsolePage : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Practice { get; set; }

    public bool IsAdmin => User.IsAdmin();

    public string? Message { get; protected set; }

    public string? Error { get; protected set; }

    /// <summary>The practices to pick from and the one selected (the first when none or an unknown one was asked for).</summary>
    internal PracticePicker Picker(PracticeDirectory practices)
    {
        var ids = practices.All.Select(p => p.Id).Order(StringComparer.Ordinal).ToList();
        if (Practice is null || !ids.Contains(Practice, StringComparer.Ordinal))
        {
            Practice = ids.FirstOrDefault();
        }

        return new PracticePicker(ids, Practice);
    }

    /// <summary>403 for a change asked by a key without the admin role (the form is not shown to it either).</summary>
    protected IActionResult? RefuseUnlessAdmin() => IsAdmin ? null : StatusCode(StatusCodes.Status403Forbidden);
}

/// <summary>The practice selector's model.</summary>
internal sealed record PracticePicker(IReadOnlyList<string> Practices, string? Selected);
