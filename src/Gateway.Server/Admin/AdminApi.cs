using System.Security.Cryptography;
using System.Text;
using Gateway.Compliance.Baa;
using Gateway.Compliance.Classification;
using Gateway.Compliance.Consent;
using Gateway.Compliance.Practices;
using Gateway.Compliance.Pseudonyms;
using Gateway.Server.Practices;
using Gateway.Server.Policies;
using Gateway.Storage;
using Gateway.Storage.Baa;
using Gateway.Storage.Consent;

namespace Gateway.Server.Admin;

/// <summary>
/// The admin API (<c>/admin/v1</c>): consent records from practices' forms and CRMs, consent history for
/// compliance officers, and the BAA registry. Raw identifiers sent here are pseudonymized at once with
/// the practice's key and never stored, logged or echoed.
/// </summary>
internal static class AdminApi
{
    /// <summary>The admin API's OpenAPI document: <c>/openapi/admin.json</c> on the admin port.</summary>
    public const string DocumentName = "admin";

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder endpoints)
    {
        var practice = endpoints.MapGroup("/admin/v1/practices/{practiceId}");
        practice.MapPost("/consent", RecordConsentAsync).WithMetadata(new AdminRoleRequirement(AdminIdentity.AdminRole));
        practice.MapPost("/consent/query", QueryConsentAsync).WithMetadata(new AdminRoleRequirement(AdminIdentity.ComplianceRole));
        practice.MapPost("/baa", RecordBaaAsync).WithMetadata(new AdminRoleRequirement(AdminIdentity.AdminRole));
        practice.MapPost("/baa/{destination}/terminate", TerminateBaaAsync).WithMetadata(new AdminRoleRequirement(AdminIdentity.AdminRole));
        practice.MapGet("/baa", ListBaaAsync).WithMetadata(new AdminRoleRequirement(AdminIdentity.ComplianceRole));
        return endpoints;
    }

    private static async Task<IResult> RecordConsentAsync(
        string practiceId, ConsentRequest? request, HttpContext http, PracticeDirectory practices, IConsentLedger ledger, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!practices.TryGet(practiceId, out var practice))
        {
            return Problem(StatusCodes.Status404NotFound, "unknown-practice", "No such practice.");
        }

        if (request is null || Subject(practice, request.Person) is not { } subject)
        {
            return Problem(StatusCodes.Status400BadRequest, "invalid-request", "Give the person as 'person': { 'userId' | 'anonymousId' | 'subject' }.");
        }

        if (request.Purpose is null || !ConsentPurposes.IsValidName(request.Purpose))
        {
            return Problem(StatusCodes.Status400BadRequest, "invalid-request", $"'purpose' must be a purpose name such as {string.Join(", ", ConsentPurposes.Known)}.");
        }

        if (request.Decision is not ("granted" or "revoked"))
        {
            return Problem(StatusCodes.Status400BadRequest, "invalid-request", "'decision' must be 'granted' or 'revoked'.");
        }

        if (request.Decision == "granted" && request.DisclosureText is null && request.DisclosureSha256 is null)
        {
            return Problem(StatusCodes.Status400BadRequest, "invalid-request",
                "A grant needs the disclosure the person agreed to: 'disclosureText' (only its SHA-256 is kept) or 'disclosureSha256'.");
        }

        if (request.DisclosureSha256 is { } given && (given.Length != 64 || !given.All(char.IsAsciiHexDigitLower)))
        {
            return Problem(StatusCodes.Status400BadRequest, "invalid-request", "'disclosureSha256' must be 64 lower-case hex characters.");
        }

        var identity = (AdminIdentity)http.Items[AdminSurfaceMiddleware.IdentityItem]!;
        var record = new ConsentRecord
        {
            PracticeId = practice.Id,
            Subject = subject,
            Purpose = request.Purpose,
            Decision = request.Decision == "granted" ? ConsentDecision.Granted : ConsentDecision.Revoked,
            Source = ConsentSources.Api,
            SourceReference = request.SourceReference,
            DisclosureSha256 = request.DisclosureSha256 ?? (request.DisclosureText is { } text ? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))) : null),
            RecordedAt = time.GetUtcNow(),
            ExpiresAt = request.ExpiresAt,
            RecordedBy = identity.Name,
        };
        try
        {
            var stored = (await ledger.AppendAsync([record], cancellationToken))[0];
            return Results.Created($"/admin/v1/practices/{practice.Id}/consent/{stored.Id}", Describe(stored));
        }
        catch (StoreUnavailableException)
        {
            return Problem(StatusCodes.Status503ServiceUnavailable, "unavailable", "The consent store is unavailable; nothing was recorded.");
        }
    }

    private static async Task<IResult> QueryConsentAsync(
        string practiceId, SubjectReference? person, PracticeDirectory practices, IConsentLedger ledger, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!practices.TryGet(practiceId, out var practice))
        {
            return Problem(StatusCodes.Status404NotFound, "unknown-practice", "No such practice.");
        }

        var subjects = Subjects(practice, person);
        if (subjects.Count == 0)
        {
            return Problem(StatusCodes.Status400BadRequest, "invalid-request", "Give 'userId', 'anonymousId' or 'subject'.");
        }

        try
        {
            var history = await ledger.HistoryAsync(practice.Id, subjects, cancellationToken);
            var state = new ConsentState(history);
            var now = time.GetUtcNow();
            return Results.Ok(new
            {
                subjects,
                current = state.All.OrderBy(r => r.Purpose, StringComparer.Ordinal)
                    .ToDictionary(r => r.Purpose, r => new { granted = r.GrantsAt(now), record = r.Id }),
                history = history.Select(Describe),
            });
        }
        catch (StoreUnavailableException)
        {
            return Problem(StatusCodes.Status503ServiceUnavailable, "unavailable", "The consent store is unavailable.");
        }
    }

    private static async Task<IResult> RecordBaaAsync(
        string practiceId, BaaRequest? request, HttpContext http, PracticeDirectory practices, BaaRegistration registration, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!practices.TryGet(practiceId, out var practice))
        {
            return Problem(StatusCodes.Status404NotFound, "unknown-practice", "No such practice.");
        }

        var identity = (AdminIdentity)http.Items[AdminSurfaceMiddleware.IdentityItem]!;
        var change = await registration.RecordAsync(practice, request, identity.Name, cancellationToken);
        return change.Record is { } stored
            ? Results.Created($"/admin/v1/practices/{practice.Id}/baa", Describe(stored, time.GetUtcNow()))
            : Problem(change.Status, change.ProblemType!, change.Detail!);
    }

    private static async Task<IResult> TerminateBaaAsync(
        string practiceId, string destination, BaaTerminationRequest? request, HttpContext http, PracticeDirectory practices, BaaRegistration registration, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!practices.TryGet(practiceId, out var practice))
        {
            return Problem(StatusCodes.Status404NotFound, "unknown-practice", "No such practice.");
        }

        var identity = (AdminIdentity)http.Items[AdminSurfaceMiddleware.IdentityItem]!;
        var change = await registration.TerminateAsync(practice, destination, request?.DocumentReference, identity.Name, cancellationToken);
        return change.Record is { } stored ? Results.Ok(Describe(stored, time.GetUtcNow())) : Problem(change.Status, change.ProblemType!, change.Detail!);
    }

    private static async Task<IResult> ListBaaAsync(string practiceId, PracticeDirectory practices, IBaaRegistry registry, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!practices.TryGet(practiceId, out var practice))
        {
            return Problem(StatusCodes.Status404NotFound, "unknown-practice", "No such practice.");
        }

        try
        {
            var now = time.GetUtcNow();
            var current = await registry.CurrentAsync(practice.Id, cancellationToken);
            var history = await registry.HistoryAsync(practice.Id, cancellationToken);
            return Results.Ok(new { current = current.Select(b => Describe(b, now)), history = history.Select(b => Describe(b, now)) });
        }
        catch (StoreUnavailableException)
        {
            return Problem(StatusCodes.Status503ServiceUnavailable, "unavailable", "The BAA store is unavailable.");
        }
    }

    /// <summary>The active-key pseudonym of the person (new records are written under it).</summary>
    private static string? Subject(PracticeContext practice, SubjectReference? person) =>
        person?.Subject ?? (person?.UserId ?? person?.AnonymousId) switch
        {
            { Length: > 0 } id => Pseudonymizer.Pseudonymize(practice.Keys.Active, id, IdentifierNormalization.Exact),
            _ => null,
        };

    /// <summary>Every pseudonym the person may have under the practice's keys (for history across rotations).</summary>
    private static IReadOnlyList<string> Subjects(PracticeContext practice, SubjectReference? person)
    {
        if (person?.Subject is { } subject)
        {
            return [subject];
        }

        var ids = new[] { person?.UserId, person?.AnonymousId }.Where(i => !string.IsNullOrEmpty(i)).ToList();
        return [.. ids.SelectMany(id => Pseudonymizer.Candidates(practice.Keys, id!, IdentifierNormalization.Exact))];
    }

    private static object Describe(ConsentRecord r) => new
    {
        id = r.Id,
        subject = r.Subject,
        purpose = r.Purpose,
        decision = r.Decision == ConsentDecision.Granted ? "granted" : "revoked",
        source = r.Source,
        sourceReference = r.SourceReference,
        disclosureSha256 = r.DisclosureSha256,
        recordedAt = r.RecordedAt,
        expiresAt = r.ExpiresAt,
        recordedBy = r.RecordedBy,
    };

    private static object Describe(BaaRecord b, DateTimeOffset now) => new
    {
        id = b.Id,
        destination = b.Destination,
        status = b.Status == BaaStatus.Active ? "active" : "terminated",
        inForce = b.InForceAt(now),
        effectiveFrom = b.EffectiveFrom,
        expiresAt = b.ExpiresAt,
        documentReference = b.DocumentReference,
        covers = b.Covers.ToNames(),
        recordedAt = b.RecordedAt,
        recordedBy = b.RecordedBy,
    };

    private static IResult Problem(int status, string type, string detail) =>
        Results.Problem(detail: detail, statusCode: status, type: "urn:gateway:problem:" + type);
}
