using System.Text.Json;
using Gateway.Compliance.Audit;
using Gateway.Server.Durability;
using Gateway.Server.Practices;
using Gateway.Storage;
using Gateway.Storage.Outbox;
using Gateway.Storage.Quarantine;
using Microsoft.AspNetCore.Mvc;

namespace Gateway.Server.ComplianceConsole.Pages;

/// <summary>
/// Quarantined events and dead letters of one practice, with their reasons (path and rule; the destination's
/// problem title), never values. Admins replay (through <see cref="DurabilityActions"/>, as the admin API does)
/// and discard with a reason from a fixed list. Inspecting the decrypted event is for admins only and only
/// after a confirmation whose acceptance is written durably to the audit log before the event is shown.
/// </summary>
internal sealed class QuarantineModel(PracticeDirectory practices, IQuarantineStore quarantine, IOutboxStore outbox, QuarantineService reveal, DurabilityActions actions, IAuditLog audit)
    : ConsolePage
{
    /// <summary>Why an entry may be discarded: fixed words, so no free text (and no PHI) reaches the audit log.</summary>
    public static readonly IReadOnlyList<string> DiscardReasons = ["test-event", "duplicate", "not-needed", "cannot-be-fixed"];

    public PracticePicker? Practices { get; private set; }

    public IReadOnlyList<QuarantineEntry> Entries { get; private set; } = [];

    public IReadOnlyList<DeadLetter> DeadLetters { get; private set; } = [];

    /// <summary>The entry awaiting the admin's confirmation before it is revealed.</summary>
    public QuarantineEntry? Confirming { get; private set; }

    /// <summary>The revealed event (indented JSON), after a confirmed, audited inspection.</summary>
    public string? Revealed { get; private set; }

    public long? RevealedId { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnGetConfirmAsync(long id, CancellationToken cancellationToken)
    {
        if (RefuseUnlessAdmin() is { } refused)
        {
            return refused;
        }

        await LoadAsync(cancellationToken);
        Confirming = Entries.FirstOrDefault(e => e.Id == id);
        Error = Confirming is null ? "No such quarantined event." : null;
        return Page();
    }

    public async Task<IActionResult> OnPostInspectAsync([FromForm] long id, [FromForm] bool confirmed, CancellationToken cancellationToken)
    {
        if (RefuseUnlessAdmin() is { } refused)
        {
            return refused;
        }

        await LoadAsync(cancellationToken);
        var entry = Entries.FirstOrDefault(e => e.Id == id);
        if (entry is null || !confirmed)
        {
            Error = entry is null ? "No such quarantined event." : "Confirm that you need to see the event.";
            return Page();
        }

        // Written and synced before the event is decrypted: an inspection that cannot be audited does not happen.
        await audit.AppendAsync([ConsoleAudit.Action(HttpContext, "quarantine-inspect-confirmed", entry.PracticeId, entry.Id)], cancellationToken);
        return await GuardAsync(() =>
        {
            using var document = JsonDocument.Parse(reveal.Reveal(entry));
            Revealed = JsonSerializer.Serialize(document.RootElement, new JsonSerializerOptions { WriteIndented = true });
            RevealedId = entry.Id;
            return Task.FromResult<IActionResult>(Page());
        });
    }

    public async Task<IActionResult> OnPostReplayAsync([FromForm] long id, CancellationToken cancellationToken)
    {
        if (RefuseUnlessAdmin() is { } refused)
        {
            return refused;
        }

        return await GuardAsync(async () =>
        {
            Practices = Picker(practices);
            if (practices.TryGet(Practice!, out var practice) && await actions.ReplayQuarantinedAsync(practice, id, cancellationToken) is { } replay)
            {
                Message = replay.Outcome switch
                {
                    "rejected" => $"Replayed #{id}: still invalid ({string.Join("; ", replay.Violations.Select(v => $"{v.Path}: {v.Rule}"))}); it stays in quarantine.",
                    "failed" => $"Replay of #{id} could not complete: {replay.Failure?.Title}. Nothing was forwarded; try again.",
                    _ => $"Replayed #{id}: {replay.Outcome}.",
                };
            }
            else
            {
                Error = "No such quarantined event.";
            }

            await LoadAsync(cancellationToken);
            return Page();
        });
    }

    public async Task<IActionResult> OnPostDiscardAsync([FromForm] long id, [FromForm] string? reason, CancellationToken cancellationToken)
    {
        if (RefuseUnlessAdmin() is { } refused)
        {
            return refused;
        }

        return await GuardAsync(async () =>
        {
            Practices = Picker(practices);
            if (reason is null || !DiscardReasons.Contains(reason))
            {
                Error = "Choose why the event is discarded.";
            }
            else if (await actions.DiscardQuarantinedAsync(Practice!, id, cancellationToken))
            {
                await audit.AppendAsync([ConsoleAudit.Action(HttpContext, "quarantine-discarded", Practice!, id, reason)], cancellationToken);
                Message = $"Discarded #{id} ({reason}); it is deleted at the end of its retention.";
            }
            else
            {
                Error = "No such quarantined event.";
            }

            await LoadAsync(cancellationToken);
            return Page();
        });
    }

    public async Task<IActionResult> OnPostDiscardDeadLetterAsync([FromForm] long id, [FromForm] string? reason, CancellationToken cancellationToken)
    {
        if (RefuseUnlessAdmin() is { } refused)
        {
            return refused;
        }

        return await GuardAsync(async () =>
        {
            Practices = Picker(practices);
            if (reason is null || !DiscardReasons.Contains(reason))
            {
                Error = "Choose why the dead letter is discarded.";
            }
            else if (await actions.DiscardDeadLetterAsync(Practice!, id, cancellationToken))
            {
                await audit.AppendAsync([ConsoleAudit.Action(HttpContext, "dead-letter-discarded", Practice!, id, reason)], cancellationToken);
                Message = $"Discarded dead letter #{id} ({reason}); it will not be delivered.";
            }
            else
            {
                Error = "No such dead letter.";
            }

            await LoadAsync(cancellationToken);
            return Page();
        });
    }

    public async Task<IActionResult> OnPostReplayDeadLetterAsync([FromForm] long id, CancellationToken cancellationToken)
    {
        if (RefuseUnlessAdmin() is { } refused)
        {
            return refused;
        }

        return await GuardAsync(async () =>
        {
            Practices = Picker(practices);
            Message = await actions.ReplayDeadLetterAsync(Practice!, id, cancellationToken) ? $"Dead letter #{id} is queued for delivery again." : null;
            Error = Message is null ? "No such dead letter." : null;
            await LoadAsync(cancellationToken);
            return Page();
        });
    }

    /// <summary>The violations of an entry as (path, rule) pairs; stored in clear because they hold no values.</summary>
    public static IEnumerable<(string Path, string Rule)> Violations(QuarantineEntry entry)
    {
        using var document = JsonDocument.Parse(entry.Violations);
        return [.. document.RootElement.EnumerateArray().Select(v => (v.GetProperty("path").GetString() ?? string.Empty, v.GetProperty("rule").GetString() ?? string.Empty))];
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Practices ??= Picker(practices);
        if (Practice is null)
        {
            return;
        }

        try
        {
            Entries = await quarantine.ListAsync(Practice, cancellationToken);
            DeadLetters = await outbox.DeadLettersAsync(Practice, cancellationToken);
        }
        catch (StoreUnavailableException ex)
        {
            Error = $"The {ex.Store} store is unavailable.";
        }
    }

    private async Task<IActionResult> GuardAsync(Func<Task<IActionResult>> action)
    {
        try
        {
            return await action();
        }
        catch (StoreUnavailableException ex)
        {
            Error = $"The {ex.Store} store is unavailable; nothing was changed.";
        }
        catch (KeyRingUnavailableException)
        {
            Error = "The Data Protection key ring is missing: quarantined events cannot be decrypted.";
        }

        return Page();
    }
}
