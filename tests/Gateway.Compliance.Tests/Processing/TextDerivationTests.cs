using Gateway.Compliance.Fixtures;
using Gateway.Compliance.Policies;
using Gateway.Compliance.Tests.TestSupport;
using Gateway.Testing;

namespace Gateway.Compliance.Tests.Processing;

/// <summary>Scoring gets a note's signal (terms mentioned, length band) where the note itself does not go.</summary>
public class TextDerivationTests
{
    private static readonly CompiledPolicy s_dental = new PolicyLoader().LoadOrThrow(RepoPaths.Policy("dental"));

    [Fact]
    public void ReferralNotes_GoOnlyAsMentionsAndLength()
    {
        var (_, output, audit) = Engine.Run(s_dental, """
            {"type":"track","event":"Referral Submitted","userId":"u","properties":{"referral_source":"provider","service_line":"implants",
             "notes":"Patient Tom Baker has severe pain and a swollen jaw, wants Implants. Call 617-555-0134."}}
            """, FixturePractice.Create("dental"));
        var properties = output!["properties"]!.AsObject();
        Assert.False(properties.ContainsKey("notes"));
        Assert.Equal("""["emergency","implant","pain"]""", output["derived"]!["notes_mentions"]!.ToJsonString());
        Assert.Equal("11-50", (string?)output["derived"]!["notes_length"]);
        Assert.DoesNotContain("Baker", output.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("notes_mentions", audit["derived"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "0")]
    [InlineData("ok", "1-10")]
    [InlineData("one two three four five six seven eight nine ten eleven", "11-50")]
    public void LengthBand_CountsWords(string notes, string band)
    {
        var (_, output, _) = Engine.Run(s_dental,
            $$$"""{"type":"track","event":"Appointment Requested","userId":"u","properties":{"service_line":"implants","notes":"{{{notes}}}"}}""",
            FixturePractice.Create("dental"));
        Assert.Equal(band, (string?)output!["derived"]!["notes_length"]);
    }
}
