using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Scoring.Engine.Stages;
using Scoring.Service.Leads;
using Scoring.Service.Security;
using Scoring.Service.Storage;

namespace Scoring.Service.Apis;

/// <summary>
/// The leads API for marketing and intake teams (API key required): one lead with its breakdown, lists by
/// stage, vertical, queue or location, and the stage changes people make. Subjects contain ':' and are
/// pseudonyms: URL-encode them, and treat responses as PHI.
/// </summary>
internal static partial class LeadsApi
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    public static IEndpointRouteBuilder MapLeadsApi(this IEndpointRouteBuilder app)
    {
        var leads = app.MapGroup("/api/leads").AddEndpointFilter<ApiKeyFilter>();
        leads.MapGet("/", ListAsync).WithName("ListLeads");
        leads.MapGet("/{practice}/{subject}", GetAsync).WithName("GetLead");
        leads.MapPost("/{practice}/{subject}/sql", ConfirmSqlAsync).WithName("ConfirmSql");
        leads.MapPost("/{practice}/{subject}/disqualify", DisqualifyAsync).WithName("DisqualifyLead");
        leads.MapPost("/{practice}/{subject}/recycle", RecycleAsync).WithName("RecycleLead");
        leads.MapPost("/{practice}/{subject}/appointment", (string practice, string subject, ActorRequest? body, HttpContext http, LeadService service, CancellationToken ct) =>
            ConvertAsync(practice, subject, LeadStage.Appointment, body, http, service, ct)).WithName("BookAppointment");
        leads.MapPost("/{practice}/{subject}/opportunity", (string practice, string subject, ActorRequest? body, HttpContext http, LeadService service, CancellationToken ct) =>
            ConvertAsync(practice, subject, LeadStage.Opportunity, body, http, service, ct)).WithName("OpenOpportunity");
        return app;
    }

    private static async Task<Results<Ok<LeadResponse>, ProblemHttpResult>> GetAsync(string practice, string subject, LeadService service, CancellationToken cancellationToken) =>
        await service.GetAsync(practice, subject, cancellationToken) is { } details
            ? TypedResults.Ok(LeadResponse.From(details))
            : NotFound();

    private static async Task<Results<Ok<LeadListResponse>, ValidationProblem>> ListAsync(
        string? practice, string? vertical, string? stage, string? queue, string? location, string? serviceLine, int? limit, int? offset,
        LeadService service, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        LeadStage? stageFilter = null;
        if (stage is not null)
        {
            if (Enum.TryParse<LeadStage>(stage, ignoreCase: true, out var parsed) && !int.TryParse(stage, out _))
            {
                stageFilter = parsed;
            }
            else
            {
                errors["stage"] = ["must be lead, mql, sql, appointment, opportunity, disqualified or recycled"];
            }
        }

        if (limit is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"must be between 1 and {MaxLimit}"];
        }

        if (offset is < 0)
        {
            errors["offset"] = ["must not be negative"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var query = new LeadQuery(practice, vertical, stageFilter, queue, location, serviceLine, limit ?? DefaultLimit, offset ?? 0);
        var leads = await service.ListAsync(query, cancellationToken);
        var now = time.GetUtcNow();
        return TypedResults.Ok(new LeadListResponse([.. leads.Select(l => LeadListItem.From(l, now))], query.Limit, query.Offset));
    }

    private static Task<Results<Ok<LeadResponse>, ProblemHttpResult, ValidationProblem>> ConfirmSqlAsync(
        string practice, string subject, SqlRequest? body, HttpContext http, LeadService service, CancellationToken cancellationToken)
    {
        if (ActorError(body?.Actor) is { } error)
        {
            return Task.FromResult(Invalid("actor", error));
        }

        if (body!.Criteria is not { Count: > 0 } criteria)
        {
            return Task.FromResult(Invalid("criteria", "list at least one criterion"));
        }

        return ApplyAsync(practice, subject, (config, state, now) => StageCommands.ConfirmSql(config, state, criteria, body.Actor!, now), http, service, cancellationToken);
    }

    private static Task<Results<Ok<LeadResponse>, ProblemHttpResult, ValidationProblem>> DisqualifyAsync(
        string practice, string subject, ReasonRequest? body, HttpContext http, LeadService service, CancellationToken cancellationToken)
    {
        if (ActorError(body?.Actor) is { } error)
        {
            return Task.FromResult(Invalid("actor", error));
        }

        if (string.IsNullOrWhiteSpace(body!.Reason))
        {
            return Task.FromResult(Invalid("reason", "a reason code is required"));
        }

        return ApplyAsync(practice, subject, (config, state, now) => StageCommands.Disqualify(config, state, body.Reason, body.Actor!, now), http, service, cancellationToken);
    }

    private static Task<Results<Ok<LeadResponse>, ProblemHttpResult, ValidationProblem>> RecycleAsync(
        string practice, string subject, ReasonRequest? body, HttpContext http, LeadService service, CancellationToken cancellationToken)
    {
        if (ActorError(body?.Actor) is { } error)
        {
            return Task.FromResult(Invalid("actor", error));
        }

        if (string.IsNullOrWhiteSpace(body!.Reason))
        {
            return Task.FromResult(Invalid("reason", "a reason code is required"));
        }

        return ApplyAsync(practice, subject, (config, state, now) => StageCommands.Recycle(config, state, body.Reason, body.Actor!, now), http, service, cancellationToken);
    }

    private static Task<Results<Ok<LeadResponse>, ProblemHttpResult, ValidationProblem>> ConvertAsync(
        string practice, string subject, LeadStage target, ActorRequest? body, HttpContext http, LeadService service, CancellationToken cancellationToken) =>
        ActorError(body?.Actor) is { } error
            ? Task.FromResult(Invalid("actor", error))
            : ApplyAsync(practice, subject, (config, state, now) => StageCommands.Convert(config, state, target, body!.Actor!, now), http, service, cancellationToken);

    private static async Task<Results<Ok<LeadResponse>, ProblemHttpResult, ValidationProblem>> ApplyAsync(
        string practice, string subject, Func<Scoring.Engine.Scoring.ScoringProfile, LeadState, DateTimeOffset, CommandResult> command,
        HttpContext http, LeadService service, CancellationToken cancellationToken)
    {
        var outcome = await service.ApplyAsync(practice, subject, command, ApiKeyFilter.ClientOf(http), cancellationToken);
        if (outcome.Details is { } details)
        {
            return TypedResults.Ok(LeadResponse.From(details));
        }

        if (outcome.Refused is not { } refused)
        {
            return NotFound();
        }

        return refused.Error == CommandError.StageNotAllowed
            ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The lead's stage does not allow this change", detail: refused.Message)
            : TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The change is not valid for this vertical", detail: refused.Message);
    }

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such lead", detail: "No lead of this practice has this id.");

    private static Results<Ok<LeadResponse>, ProblemHttpResult, ValidationProblem> Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    private static string? ActorError(string? actor) =>
        actor is not null && ActorPattern().IsMatch(actor)
            ? null
            : "the id of the person making the change is required: 1-128 letters, digits, '.', '_', '@', '+' or '-'";

    [GeneratedRegex("^[A-Za-z0-9._@+-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex ActorPattern();
}

/// <summary>Confirms an SQL: the criteria a person confirmed (codes from the vertical's configuration) and who.</summary>
internal sealed record SqlRequest(IReadOnlyList<string>? Criteria, string? Actor);

/// <summary>Disqualifies or recycles: a reason code from the vertical's configuration (never free text) and who.</summary>
internal sealed record ReasonRequest(string? Reason, string? Actor);

/// <summary>Converts an SQL: who booked the appointment or opened the opportunity.</summary>
internal sealed record ActorRequest(string? Actor);
