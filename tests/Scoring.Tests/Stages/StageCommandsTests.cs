using Scoring.Engine.Stages;
using static Scoring.Tests.TestSupport.TestConfig;

namespace Scoring.Tests.Stages;

public class StageCommandsTests
{
    private static readonly Handoff s_handoff = new("scheduling", T0, T0.AddHours(4), "hygiene", null);

    [Theory]
    [InlineData("appointment_booked")]
    [InlineData("need,timeline")]
    public void ConfirmSql_Accepts_ASufficientCriterion_OrTheMinimum(string list)
    {
        var criteria = list.Split(',');
        var result = StageCommands.ConfirmSql(Profile(), Mql(), criteria, "fd-7", T0.AddHours(1));

        Assert.True(result.Succeeded);
        Assert.Equal((LeadStage.Sql, T0.AddHours(1), s_handoff), (result.State!.Stage, result.State.StageSince, result.State.Handoff));
        Assert.Equal((LeadStage.Mql, LeadStage.Sql, "fd-7"), (result.Transition!.From, result.Transition.To, result.Transition.Actor));
        Assert.Equal(criteria, result.Transition.Criteria);
        Assert.Equal($"confirmed by a person: {string.Join(", ", criteria)}", result.Transition.Reason);
    }

    [Theory]
    [InlineData("need", "1 criteria confirmed; an SQL needs at least 2, or one of: appointment_booked")]
    [InlineData("need,budget", "unknown criteria 'budget' (known: appointment_booked, need, timeline, insurance_verified)")]
    [InlineData("need,need", "a criterion is listed twice")]
    [InlineData("", "at least one criterion is required")]
    public void ConfirmSql_Rejects_InvalidCriteria(string list, string message)
    {
        var criteria = list.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var result = StageCommands.ConfirmSql(Profile(), Mql(), criteria, "fd-7", T0);

        Assert.Equal((CommandError.InvalidInput, message), (result.Error, result.Message));
    }

    [Fact]
    public void Convert_RequiresAnSql_AndTheVerticalsConversionStage()
    {
        var config = Profile();
        var sql = StageCommands.ConfirmSql(config, Mql(), ["appointment_booked"], "fd-7", T0).State!;

        var fromMql = StageCommands.Convert(config, Mql(), LeadStage.Appointment, "fd-7", T0);
        var wrongKind = StageCommands.Convert(config, sql, LeadStage.Opportunity, "fd-7", T0);
        var booked = StageCommands.Convert(config, sql, LeadStage.Appointment, "fd-7", T0.AddDays(1));

        Assert.Equal((CommandError.StageNotAllowed, "a lead in stage 'mql' cannot move to 'appointment' (allowed from: sql)"), (fromMql.Error, fromMql.Message));
        Assert.Equal((CommandError.InvalidInput, "leads of vertical 'test' convert to 'appointment', not 'opportunity'"), (wrongKind.Error, wrongKind.Message));
        Assert.Equal((LeadStage.Appointment, "appointment booked"), (booked.State!.Stage, booked.Transition!.Reason));
    }

    [Fact]
    public void Disqualify_NeedsAKnownReasonCode_AndIsFinal()
    {
        var config = Profile();

        var unknown = StageCommands.Disqualify(config, Mql(), "the patient said her name is...", "fd-7", T0);
        var done = StageCommands.Disqualify(config, Mql(), "spam", "fd-7", T0);
        var again = StageCommands.Disqualify(config, done.State!, "spam", "fd-7", T0);

        Assert.Equal("unknown reason 'the patient said her name is...' (known: spam, out_of_area)", unknown.Message);
        Assert.Equal((LeadStage.Disqualified, "disqualified: spam"), (done.State!.Stage, done.Transition!.Reason));
        Assert.Equal(CommandError.StageNotAllowed, again.Error);
    }

    [Fact]
    public void Recycle_ByAPerson_ClearsTheHandoff()
    {
        var result = StageCommands.Recycle(Profile(), Mql(), "not_ready", "fd-7", T0);

        Assert.Equal((LeadStage.Recycled, null), (result.State!.Stage, result.State.Handoff));
        Assert.Equal(CommandError.StageNotAllowed, StageCommands.Recycle(Profile(), NewLead(T0), "not_ready", "fd-7", T0).Error);
    }

    [Fact]
    public void Merge_KeepsThePersonsDecision_OverTheSystems()
    {
        var sql = new LeadState(LeadStage.Sql, T0.AddDays(2), null, T0.AddDays(2), "sha-1");
        var mql = Mql();

        Assert.Equal(LeadStage.Sql, LeadMerge.Choose(mql, sql).Stage);
        Assert.Equal(LeadStage.Sql, LeadMerge.Choose(sql, mql).Stage);
        Assert.Null(LeadMerge.Choose(sql, mql).EvaluatedThrough);
    }

    private static LeadState Mql() => new(LeadStage.Mql, T0, s_handoff, T0, "sha-1");
}
