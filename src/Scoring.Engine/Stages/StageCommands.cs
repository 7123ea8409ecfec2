using Scoring.Engine.Scoring;

namespace Scoring.Engine.Stages;

/// <summary>Why a person's stage change was refused; a value, not an exception, because it is normal operation.</summary>
public enum CommandError
{
    None,

    /// <summary>The lead's current stage does not allow the change (e.g. converting a lead that is not an SQL).</summary>
    StageNotAllowed,

    /// <summary>The request names a criterion or reason the vertical's configuration does not list, or too few criteria.</summary>
    InvalidInput,
}

/// <summary>The outcome of a person's stage change: the new state and the recorded transition, or an error.</summary>
public sealed record CommandResult(LeadState? State, StageTransition? Transition, CommandError Error, string? Message)
{
    public bool Succeeded => Error == CommandError.None;

    internal static CommandResult Ok(LeadState state, StageTransition transition) => new(state, transition, CommandError.None, null);

    internal static CommandResult Fail(CommandError error, string message) => new(null, null, error, message);
}

/// <summary>
/// Stage changes people make: confirm an SQL with the vertical's criteria, convert an SQL, disqualify, or recycle.
/// Each is recorded at the given instant with the actor and the criteria or reason code. Call them on a state
/// that was just evaluated at the same instant, so the system's own changes come first.
/// </summary>
public static class StageCommands
{
    public static CommandResult ConfirmSql(ScoringProfile profile, LeadState state, IReadOnlyList<string> criteria, string actor, DateTimeOffset now)
    {
        if (state.Stage is not (LeadStage.Lead or LeadStage.Mql or LeadStage.Recycled))
        {
            return NotFrom(state.Stage, LeadStage.Sql, "lead, mql or recycled");
        }

        var settings = profile.Config.Stages;
        var normalized = criteria.Select(c => c.Trim()).ToList();
        if (normalized.Count == 0)
        {
            return CommandResult.Fail(CommandError.InvalidInput, "at least one criterion is required");
        }

        if (normalized.Distinct(StringComparer.Ordinal).Count() != normalized.Count)
        {
            return CommandResult.Fail(CommandError.InvalidInput, "a criterion is listed twice");
        }

        var unknown = normalized.Where(c => !settings.SqlCriteria.Contains(c, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            return CommandResult.Fail(CommandError.InvalidInput,
                $"unknown criteria {string.Join(", ", unknown.Select(u => $"'{Clip(u)}'"))} (known: {string.Join(", ", settings.SqlCriteria)})");
        }

        var sufficient = normalized.Any(c => settings.SqlSufficient.Contains(c, StringComparer.Ordinal));
        if (!sufficient && normalized.Count < settings.SqlMinimum)
        {
            var alone = settings.SqlSufficient.Count == 0 ? string.Empty : $", or one of: {string.Join(", ", settings.SqlSufficient)}";
            return CommandResult.Fail(CommandError.InvalidInput,
                $"{normalized.Count} criteria confirmed; an SQL needs at least {settings.SqlMinimum}{alone}");
        }

        return Move(profile, state, LeadStage.Sql, $"confirmed by a person: {string.Join(", ", normalized)}", actor, normalized, now, state.Handoff);
    }

    public static CommandResult Convert(ScoringProfile profile, LeadState state, LeadStage target, string actor, DateTimeOffset now)
    {
        if (target != profile.Config.ConversionStage)
        {
            return CommandResult.Fail(CommandError.InvalidInput,
                $"leads of vertical '{profile.Config.Vertical}' convert to '{Name(profile.Config.ConversionStage)}', not '{Name(target)}'");
        }

        if (state.Stage != LeadStage.Sql)
        {
            return NotFrom(state.Stage, target, "sql");
        }

        var reason = target == LeadStage.Appointment ? "appointment booked" : "opportunity opened";
        return Move(profile, state, target, reason, actor, [], now, state.Handoff);
    }

    public static CommandResult Disqualify(ScoringProfile profile, LeadState state, string reason, string actor, DateTimeOffset now)
    {
        if (state.Stage is LeadStage.Disqualified || LeadStages.IsConversion(state.Stage))
        {
            return NotFrom(state.Stage, LeadStage.Disqualified, "lead, mql, recycled or sql");
        }

        if (!profile.Config.Stages.DisqualifyReasons.Contains(reason, StringComparer.Ordinal))
        {
            return CommandResult.Fail(CommandError.InvalidInput,
                $"unknown reason '{Clip(reason)}' (known: {string.Join(", ", profile.Config.Stages.DisqualifyReasons)})");
        }

        return Move(profile, state, LeadStage.Disqualified, $"disqualified: {reason}", actor, [reason], now, state.Handoff);
    }

    public static CommandResult Recycle(ScoringProfile profile, LeadState state, string reason, string actor, DateTimeOffset now)
    {
        if (state.Stage is not (LeadStage.Mql or LeadStage.Sql))
        {
            return NotFrom(state.Stage, LeadStage.Recycled, "mql or sql");
        }

        if (!profile.Config.Stages.RecycleReasons.Contains(reason, StringComparer.Ordinal))
        {
            return CommandResult.Fail(CommandError.InvalidInput,
                $"unknown reason '{Clip(reason)}' (known: {string.Join(", ", profile.Config.Stages.RecycleReasons)})");
        }

        return Move(profile, state, LeadStage.Recycled, $"recycled by a person: {reason}", actor, [reason], now, null);
    }

    /// <summary>The stage's name as the API writes it.</summary>
    public static string Name(LeadStage stage) => stage.ToString().ToLowerInvariant();

    private static CommandResult Move(
        ScoringProfile profile, LeadState state, LeadStage to, string reason, string actor, IReadOnlyList<string> criteria, DateTimeOffset now, Handoff? handoff)
    {
        var transition = new StageTransition(now, state.Stage, to, reason, actor, criteria);
        return CommandResult.Ok(new LeadState(to, now, handoff, now, profile.Sha256), transition);
    }

    private static CommandResult NotFrom(LeadStage from, LeadStage to, string allowed) =>
        CommandResult.Fail(CommandError.StageNotAllowed, $"a lead in stage '{Name(from)}' cannot move to '{Name(to)}' (allowed from: {allowed})");

    /// <summary>Input is echoed only as far as a code could reach, so a mistyped free-text reason is not repeated whole.</summary>
    private static string Clip(string value) => value.Length <= 40 ? value : value[..40] + "...";
}
