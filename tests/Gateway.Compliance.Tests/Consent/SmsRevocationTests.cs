using System.Text.Json.Nodes;
using Gateway.Compliance.Consent;
using Gateway.Compliance.Policies;
using Gateway.Compliance.Tests.TestSupport;

namespace Gateway.Compliance.Tests.Consent;

/// <summary>
/// SMS revocation by any reasonable means (FCC 2024 TCPA order): keywords as words anywhere in a short reply, common
/// phrasings in any reply, after NFKC, invisible-character removal and case folding; the matched rule is recorded.
/// </summary>
public class SmsRevocationTests
{
    private static readonly Lazy<CompiledPolicy> s_dental = new(() => new PolicyLoader().Load(RepoPaths.Policy("dental")).Policy!);

    [Theory]
    [InlineData("STOP", "keyword:stop")]
    [InlineData(" stop. ", "keyword:stop")]
    [InlineData("STOP ALL", "keyword:stopall")]
    [InlineData("Stop texting me", "phrase:stop texting")]
    [InlineData("please stop", "keyword:stop")]
    [InlineData("st\u200Bop", "keyword:stop")]
    [InlineData("\uFF33\uFF34\uFF2F\uFF30", "keyword:stop")]
    [InlineData("S\u00ADTOP", "keyword:stop")]
    [InlineData("opt out", "keyword:optout")]
    [InlineData("Opt-Out", "keyword:optout")]
    [InlineData("please OPT OUT thanks", "keyword:optout")]
    [InlineData("Unsubscribe me please", "keyword:unsubscribe")]
    [InlineData("I want to cancel", "keyword:cancel")]
    [InlineData("QUIT", "keyword:quit")]
    [InlineData("end", "keyword:end")]
    [InlineData("revoke", "keyword:revoke")]
    [InlineData("Don't text me anymore", "phrase:dont text")]
    [InlineData("don\u2019t text this number", "phrase:dont text")]
    [InlineData("do not text", "phrase:do not text")]
    [InlineData("remove me from your list", "phrase:remove me")]
    [InlineData("No more texts!!", "phrase:no more texts")]
    [InlineData("wrong number", "phrase:wrong number")]
    public void Revokes_AndNamesTheRule(string reply, string rule)
    {
        Assert.Equal(rule, SmsRevocation.MatchedRule(reply));
    }

    [Theory]
    [InlineData("START")]
    [InlineData("yes")]
    [InlineData("Thanks, see you Tuesday")]
    [InlineData("stopwatch")]
    [InlineData("")]
    [InlineData("   ")]
    public void DoesNotRevoke(string reply)
    {
        Assert.Null(SmsRevocation.MatchedRule(reply));
    }

    [Fact]
    public void KeywordInALongMessage_IsNotPerSe_ButAPhraseStillRevokes()
    {
        var padding = string.Join(' ', Enumerable.Repeat("thanks for the reminder about my cleaning", 5));
        Assert.Null(SmsRevocation.MatchedRule(padding + " and I will cancel nothing"));
        Assert.Equal("phrase:stop texting", SmsRevocation.MatchedRule(padding + " but please stop texting me"));
    }

    [Theory]
    [InlineData("Stop texting me")]
    [InlineData("please stop")]
    [InlineData("st\u200Bop")]
    [InlineData("\uFF33\uFF34\uFF2F\uFF30")]
    public void SmsReply_RevokesSms_ForwardsDoNotText_AndRecordsTheRule(string reply)
    {
        var json = new JsonObject
        {
            ["type"] = "track",
            ["event"] = "SMS Reply Received",
            ["userId"] = "user-1",
            ["messageId"] = "m-sms",
            ["properties"] = new JsonObject { ["keyword"] = reply, ["campaign_id"] = "recall-nov" },
        }.ToJsonString();

        var (result, output, _) = Engine.Run(s_dental.Value, json);

        Assert.True((bool)output!["derived"]!["sms_opt_out"]!);
        var signal = Assert.Single(result.ConsentSignals, s => s.Purpose == ConsentPurposes.Sms);
        Assert.Equal(ConsentDecision.Revoked, signal.Decision);
        Assert.StartsWith("SMS Reply Received (", signal.SourceReference, StringComparison.Ordinal);
        Assert.Contains(signal.SourceReference!.Split('(')[1].TrimEnd(')'), new[] { SmsRevocation.MatchedRule(reply) });
    }
}
