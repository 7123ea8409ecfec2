using Microsoft.Extensions.Logging;
using static Scoring.Tests.Functional.Batches;

namespace Scoring.Tests.Functional;

public class PhiLoggingTests
{
    [Fact]
    public async Task PseudonymsAndEventBodies_NeverReachLogs_AtInformationOrAbove_EvenWithFrameworkLoggingTurnedUp()
    {
        using var factory = new ScoringServiceFactory(new Dictionary<string, string?> { ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug" });
        var at = ScoringServiceFactory.Start;
        await factory.PostBatchAsync(Dental(at, ImplantRequest("dd1:MSG-PSEUDONYM", "dd1:USER-PSEUDONYM", at)));
        await factory.PostBatchAsync(Dental(at, ImplantRequest("dd1:MSG-PSEUDONYM", "dd1:USER-PSEUDONYM", at)));
        var client = factory.ApiClientWithKey();
        await client.GetStringAsync(Lead("dd1:USER-PSEUDONYM"));
        await client.GetStringAsync("/api/leads?stage=mql");
        await client.PostAsync(Lead("dd1:USER-PSEUDONYM") + "/sql", System.Net.Http.Json.JsonContent.Create(new { criteria = new[] { "appointment_booked" }, actor = "fd-7" }));

        var visible = factory.Logs.Lines.Where(l => l.Level >= LogLevel.Information).ToList();

        // Request lines (which name the lead in the path) exist, but only below Information.
        Assert.Contains(factory.Logs.Lines, l => l.Level == LogLevel.Debug && l.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));

        Assert.Contains(visible, l => l.Message == "Batch for practice demo-dental (dental): 1 new, 0 duplicate events");
        Assert.Contains(visible, l => l.Message == "A person moved a lead of practice demo-dental from mql to sql");
        Assert.All(visible, l =>
        {
            Assert.DoesNotContain("PSEUDONYM", l.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("implants", l.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("REDACTED", l.Message, StringComparison.Ordinal);
        });
    }
}
