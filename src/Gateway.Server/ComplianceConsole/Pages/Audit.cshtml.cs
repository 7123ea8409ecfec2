using Gateway.Compliance.Audit;
using Gateway.Server.Auditing;
using Gateway.Server.Practices;
using Microsoft.AspNetCore.Mvc;

namespace Gateway.Server.ComplianceConsole.Pages;

/// <summary>
/// Audit search over this instance's audit folder (the query of <c>gatewayctl audit search</c>), paginated,
/// with each event record's field actions as a table (paths and actions, never values), and an on-demand
/// verification of the chain and its signed checkpoints with progress.
/// </summary>
internal sealed class AuditModel(PracticeDirectory practices, AuditCheckpointing checkpointing, AuditVerificationRuns verifications) : ConsolePage
{
    public const int PageSize = 25;

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? EventType { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Outcome { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Reason { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Destination { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<string> PracticeIds { get; private set; } = [];

    public IReadOnlyList<AuditRecord> Records { get; private set; } = [];

    public long Matched { get; private set; }

    public VerificationRun? Running => verifications.Current;

    public VerificationRun? LastRun => verifications.Last;

    public void OnGet()
    {
        PracticeIds = [.. practices.All.Select(p => p.Id).Order(StringComparer.Ordinal)];
        if (Practice is not null && !PracticeIds.Contains(Practice))
        {
            Practice = null;
        }

        var from = ConsoleSubjects.Day(From);
        var to = ConsoleSubjects.Day(To)?.AddDays(1);
        var query = new AuditQuery
        {
            From = from,
            To = to,
            Practices = Set(Practice),
            EventTypes = Set(EventType),
            Outcomes = Set(Outcome),
            Destinations = Set(Destination),
            Kinds = new HashSet<string>([AuditKinds.Event, AuditKinds.Delivery], StringComparer.Ordinal),
        };
        var reason = string.IsNullOrWhiteSpace(Reason) ? null : Reason.Trim();
        var matches = new AuditReader([checkpointing.AuditDirectory]).Read(query)
            .Where(r => reason is null || r.Event?.Reason == reason || r.Event?.Destinations.Any(d => d.Reason == reason) == true);
        PageNumber = Math.Max(1, PageNumber);
        var page = new List<AuditRecord>(PageSize);
        long count = 0;
        foreach (var record in matches)
        {
            if (count >= (PageNumber - 1L) * PageSize && page.Count < PageSize)
            {
                page.Add(record);
            }

            count++;
        }

        Records = page;
        Matched = count;
    }

    public IActionResult OnPostVerify()
    {
        verifications.Start(User.KeyName());
        return LocalRedirect("/console/audit");
    }

    /// <summary>The query string of this search at another page.</summary>
    public string PageLink(int page) => QueryString.Create(new Dictionary<string, string?>
    {
        ["from"] = From, ["to"] = To, ["practice"] = Practice, ["eventType"] = EventType, ["outcome"] = Outcome, ["reason"] = Reason, ["destination"] = Destination,
        ["p"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }.Where(kv => !string.IsNullOrEmpty(kv.Value))).ToUriComponent();

    private static HashSet<string>? Set(string? value) => string.IsNullOrWhiteSpace(value) ? null : new HashSet<string>([value.Trim()], StringComparer.Ordinal);
}
