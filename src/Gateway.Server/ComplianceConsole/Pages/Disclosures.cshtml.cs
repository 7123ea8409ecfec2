using System.Text;
using Gateway.Compliance.Audit;
using Gateway.Server.Auditing;
using Gateway.Server.Practices;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gateway.Server.ComplianceConsole.Pages;

/// <summary>
/// Accounting of disclosures (45 CFR 164.528) for one person: the identifier typed is turned into pseudonyms on
/// the server for this request and then forgotten; the page never shows it (the form comes back empty) and
/// keeps only an encrypted, expiring token of the pseudonyms for the CSV export and the printable page.
/// The report is read from this instance's audit folder by the same code as <c>gatewayctl audit disclosures</c>.
/// </summary>
internal sealed class DisclosuresModel(PracticeDirectory practices, AuditCheckpointing checkpointing, ConsoleSubjectTokens tokens) : ConsolePage
{
    public PracticePicker? Practices { get; private set; }

    public DisclosureReport? Report { get; private set; }

    public string? Token { get; private set; }

    public DateTimeOffset? From { get; private set; }

    public DateTimeOffset? To { get; private set; }

    public void OnGet() => Practices = Picker(practices);

    public IActionResult OnPostSearch([FromForm] string? kind, [FromForm] string? identifier, [FromForm] string? from, [FromForm] string? to)
    {
        Practices = Picker(practices);
        if (Practice is null || !practices.TryGet(Practice, out var practice))
        {
            Error = "Choose a practice.";
            return Page();
        }

        var start = ConsoleSubjects.Day(from);
        var end = ConsoleSubjects.Day(to)?.AddDays(1);
        if (start is { } s && end is { } e && s >= e)
        {
            Error = "'From' must be on or before 'to'.";
            return Page();
        }

        if (ConsoleSubjects.From(practice, kind, identifier, start, end) is not { } subject)
        {
            Error = "Enter the person's identifier and choose its kind.";
            return Page();
        }

        Show(subject);
        return Page();
    }

    public IActionResult OnPostCsv([FromForm] string? token)
    {
        Practices = Picker(practices);
        if (tokens.Unprotect(token, Practice ?? string.Empty) is not { } subject)
        {
            return Expired();
        }

        var report = Account(subject);
        var csv = new StringWriter();
        DisclosureCsv.Write(csv, report);
        return File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", $"disclosures-{subject.Practice}.csv");
    }

    public IActionResult OnPostPrint([FromForm] string? token)
    {
        Practices = Picker(practices);
        if (tokens.Unprotect(token, Practice ?? string.Empty) is not { } subject)
        {
            return Expired();
        }

        Show(subject);
        ViewData["Printable"] = true;
        return Page();
    }

    private void Show(ConsoleSubject subject)
    {
        Report = Account(subject);
        Token = tokens.Protect(subject);
        From = subject.From;
        To = subject.To;
    }

    private DisclosureReport Account(ConsoleSubject subject) =>
        DisclosureAccounting.Account(new AuditReader([checkpointing.AuditDirectory]), subject.Practice, new HashSet<string>(subject.Candidates, StringComparer.Ordinal), subject.From, subject.To);

    private PageResult Expired()
    {
        Error = $"The look-up expired (after {ConsoleSubjectTokens.Lifetime.TotalMinutes:N0} minutes) or was for another practice: enter the identifier again.";
        return Page();
    }
}
