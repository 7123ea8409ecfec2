using Gateway.LeakBench;

namespace Gateway.Compliance.Tests.Policies;

/// <summary>
/// The leak benchmark (bench/Gateway.LeakBench) on a smaller corpus: every Safe Harbor identifier kind planted in every
/// field kind of every shipped policy, scanned in the decoded forwarded bodies. The full run is
/// <c>dotnet run -c Release --project bench/Gateway.LeakBench</c>.
/// </summary>
public class LeakBenchmarkTests
{
    [Fact]
    public void ShippedPolicies_ForwardNoPlantedIdentifier_AndKeepMostHarmlessWords()
    {
        var run = LeakBenchmark.Run(seed: 20261202, eventsPerPolicy: 1400);
        Assert.True(run.TotalLeaks == 0, LeakReport.Format(run, 20261202, 1400, showPlanted: true));
        Assert.True(run.Utility >= 0.8, $"utility {run.Utility:P1}");
        Assert.True(run.AdBuilt >= 100, $"only {run.AdBuilt} ad conversions were built: the ad destinations were not exercised");

        // Every field kind and identifier kind was actually exercised with forwarded events.
        Assert.Equal(Enum.GetValues<IdentifierKind>().Length * 10, run.Cells.Count(c => c.Value.Forwarded > 0));
    }

    [Theory]
    [InlineData("{\"properties\":{\"notes\":\"write to Florentyna at home\"}}", "Florentyna Kowalczyk", true)]
    [InlineData("{\"properties\":{\"notes\":\"write to fl\\u00f3rentyna at home\"}}", "Flórentyna Kowalczyk", true)]
    [InlineData("{\"properties\":{\"notes\":\"[REDACTED:PERSON_NAME] wrote\"}}", "Florentyna Kowalczyk", false)]
    [InlineData("{\"properties\":{\"phone\":\"617 555-0134\"}}", "(617) 555-0134", true)]
    public void Scanner_FindsAPlantedIdentifier_InDecodedText(string forwarded, string name, bool leaked)
    {
        var parts = IdentifierFactory.Parts(name).Select(Needle.Word).ToList();
        if (name.Any(char.IsDigit))
        {
            parts = [Needle.Digits(Needle.OnlyDigits(name)[^7..])];
        }

        var identifier = new PlantedIdentifier(IdentifierKind.Name, "test", name, PlantedIdentifier.Slugify(name), parts);
        var text = new ForwardedText(System.Text.Encoding.UTF8.GetBytes(forwarded), new HashSet<string>());
        Assert.Equal(leaked, text.Find(identifier) is not null);
    }

    [Theory]
    [InlineData("{\"user_data\":{\"external_id\":[\"20601782fe9979c525c741a8695ae4437dc56c13e0444970974ff6392a589bb9\"]}}", false)]
    [InlineData("{\"properties\":{\"zip\":\"70974\"}}", true)]
    [InlineData("{\"properties\":{\"note\":\"ref 0444970974ff\"}}", true)]
    [InlineData("{\"event_id\":\"8e2d0444970974ff6392a589bb9c1f0a\"}", false)]
    [InlineData("{\"event_id\":\"8e2d0444970974ff6392a589bb9c1f0\"}", true)]
    public void Scanner_ReadsASha256Digest_AsHashOutput_NotAsANumber(string forwarded, bool leaked)
    {
        var identifier = new PlantedIdentifier(IdentifierKind.Zip, "ZIP+4", "70974-3799", PlantedIdentifier.Slugify("70974-3799"), [Needle.Digits("70974")]);
        var text = new ForwardedText(System.Text.Encoding.UTF8.GetBytes(forwarded), new HashSet<string>());
        Assert.Equal(leaked, text.Find(identifier) is not null);
    }
}
