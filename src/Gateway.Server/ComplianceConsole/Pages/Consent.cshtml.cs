using System.Text.RegularExpressions;
using Gateway.Compliance.Consent;
using Gateway.Server.Practices;
using Gateway.Storage;
using Gateway.Storage.Consent;
using Microsoft.AspNetCore.Mvc;

namespace Gateway.Server.ComplianceConsole.Pages;

/// <summary>
/// Consent history of one person (grants and revocations with their source: API, event/banner, SMS keyword,
/// phone, letter) and the current state per purpose. An admin can record a revocation received by phone or
/// letter; it is appended to the same ledger the pipeline reads, so the person's next event is decided on it.
/// </summary>
internal sealed partial class ConsentModel(PracticeDirectory practices, IConsentLedger ledger, ConsoleSubjectTokens tokens, TimeProvider time) : ConsolePage
{
    public PracticePicker? Practices { get; private set; }

    public IReadOnlyList<ConsentRecord>? History { get; private set; }

    public IReadOnlyList<(string Purpose, bool Granted, ConsentRecord Record)> Current { get; private set; } = [];

    public string? Token { get; private set; }

    public static IReadOnlyList<string> Purposes => ConsentPurposes.Known;

    public void OnGet() => Practices = Picker(practices);

    public async Task<IActionResult> OnPostSearchAsync([FromForm] string? kind, [FromForm] string? identifier, CancellationToken cancellationToken)
    {
        Practices = Picker(practices);
        if (Practice is null || !practices.TryGet(Practice, out var practice) || ConsoleSubjects.From(practice, kind, identifier) is not { } subject)
        {
            Error = "Enter the person's identifier and choose its kind.";
            return Page();
        }

        await ShowAsync(subject, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync([FromForm] string? token, [FromForm] string? purpose, [FromForm] string? channel, [FromForm] string? reference, CancellationToken cancellationToken)
    {
        if (RefuseUnlessAdmin() is { } refused)
        {
            return refused;
        }

        Practices = Picker(practices);
        if (tokens.Unprotect(token, Practice ?? string.Empty) is not { } subject)
        {
            Error = "The look-up expired: enter the identifier again.";
            return Page();
        }

        if (purpose is null || !ConsentPurposes.IsValidName(purpose) || channel is not (ConsentSources.Phone or ConsentSources.Letter)
            || (reference is { Length: > 0 } && !ReferencePattern().IsMatch(reference)))
        {
            Error = "Choose the purpose and how the revocation was received; a reference is letters, digits and - _ : . only (no personal data).";
            await ShowAsync(subject, cancellationToken);
            return Page();
        }

        try
        {
            await ledger.AppendAsync(
            [
                new ConsentRecord
                {
                    PracticeId = subject.Practice,
                    Subject = subject.Active,
                    Purpose = purpose,
                    Decision = ConsentDecision.Revoked,
                    Source = channel,
                    SourceReference = string.IsNullOrEmpty(reference) ? null : reference,
                    RecordedAt = time.GetUtcNow(),
                    RecordedBy = User.KeyName(),
                },
            ], cancellationToken);
            Message = $"Recorded: '{purpose}' revoked ({channel}). It applies to the person's next event on every instance.";
        }
        catch (StoreUnavailableException)
        {
            Error = "The consent store is unavailable; nothing was recorded.";
        }

        await ShowAsync(subject, cancellationToken);
        return Page();
    }

    private async Task ShowAsync(ConsoleSubject subject, CancellationToken cancellationToken)
    {
        try
        {
            History = await ledger.HistoryAsync(subject.Practice, subject.Candidates.Append(subject.Active).Distinct().ToList(), cancellationToken);
            var now = time.GetUtcNow();
            Current = [.. new ConsentState(History).All.OrderBy(r => r.Purpose, StringComparer.Ordinal).Select(r => (r.Purpose, r.GrantsAt(now), r))];
            Token = tokens.Protect(subject);
        }
        catch (StoreUnavailableException)
        {
            Error = "The consent store is unavailable.";
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_:.-]{1,64}$")]
    private static partial Regex ReferencePattern();
}
