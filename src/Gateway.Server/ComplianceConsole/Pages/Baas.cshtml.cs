using Gateway.Compliance.Baa;
using Gateway.Compliance.Classification;
using Gateway.Compliance.Policies;
using Gateway.Server.Admin;
using Gateway.Server.Policies;
using Gateway.Server.Practices;
using Gateway.Storage;
using Gateway.Storage.Baa;
using Microsoft.AspNetCore.Mvc;

namespace Gateway.Server.ComplianceConsole.Pages;

/// <summary>
/// The BAA registry of one practice: current agreements with dates, covered classes, document reference and
/// the policies that send to each destination; the full history. Admins add, renew and terminate through
/// <see cref="BaaRegistration"/>, the same rules as the admin API.
/// </summary>
internal sealed class BaasModel(PracticeDirectory practices, PolicyProvider policies, IBaaRegistry registry, BaaRegistration registration, TimeProvider time) : ConsolePage
{
    public PracticePicker? Practices { get; private set; }

    public IReadOnlyList<BaaRecord> Current { get; private set; } = [];

    public IReadOnlyList<BaaRecord> History { get; private set; } = [];

    public CompiledPolicy? Policy { get; private set; }

    public DateTimeOffset Now { get; private set; }

    public static IReadOnlyList<string> DataClassList => [.. DataClassNames.All];

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostRecordAsync(
        [FromForm] string? destination, [FromForm] string? effectiveFrom, [FromForm] string? expiresAt, [FromForm] string? documentReference, [FromForm] string[]? covers,
        CancellationToken cancellationToken)
    {
        if (RefuseUnlessAdmin() is { } refused)
        {
            return refused;
        }

        Practices = Picker(practices);
        if (practices.TryGet(Practice!, out var practice))
        {
            var expires = ConsoleSubjects.Day(expiresAt);
            var request = new BaaRequest(destination, ConsoleSubjects.Day(effectiveFrom), expires, documentReference, covers);
            var change = await registration.RecordAsync(practice, request, User.KeyName(), cancellationToken);
            if (change.Record is { } stored)
            {
                Message = $"Recorded BAA #{stored.Id} for '{stored.Destination}'.";
            }
            else
            {
                Error = change.Detail;
            }
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostTerminateAsync([FromForm] string? destination, [FromForm] string? documentReference, CancellationToken cancellationToken)
    {
        if (RefuseUnlessAdmin() is { } refused)
        {
            return refused;
        }

        Practices = Picker(practices);
        if (destination is not null && practices.TryGet(Practice!, out var practice))
        {
            var change = await registration.TerminateAsync(practice, destination, documentReference, User.KeyName(), cancellationToken);
            Message = change.Record is { } stored ? $"Terminated the BAA for '{stored.Destination}' (record #{stored.Id}); events needing it stop now." : null;
            Error = change.Record is null ? change.Detail : null;
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Practices ??= Picker(practices);
        Now = time.GetUtcNow();
        if (Practice is null || !practices.TryGet(Practice, out var practice))
        {
            return;
        }

        Policy = policies.TryGetPolicy(practice, out var policy) ? policy : null;
        try
        {
            Current = await registry.CurrentAsync(practice.Id, cancellationToken);
            History = await registry.HistoryAsync(practice.Id, cancellationToken);
        }
        catch (StoreUnavailableException)
        {
            Error = "The BAA store is unavailable.";
        }
    }
}
