using System.Text.Json;
using Scoring.Engine.Events;

namespace Scoring.Tests.Events;

public class EventFieldsTests
{
    [Fact]
    public void Flatten_KeepsShortScalarsUnderPropertiesTraitsDerivedAndUtm_Only()
    {
        using var doc = JsonDocument.Parse("""
            {
              "type": "track", "event": "Appointment Requested", "messageId": "dd1:m", "userId": "dd1:u",
              "context": { "ip": "1.2.3.4", "page": { "path": "/x" }, "campaign": { "name": "spring", "source": "google", "medium": "cpc", "term": "t" } },
              "properties": { "service_line": "implants", "new_patient": true, "rating": 4.5, "tags": ["a"], "notes": "NOTES_THAT_ARE_LONGER_THAN_ONE_HUNDRED_CHARACTERS_ARE_FREE_TEXT_AND_NOT_KEPT_BY_THE_SCORING_SERVICE_AT_ALL_EVER" },
              "traits": { "company": { "org_type": "payer" } },
              "derived": { "in_service_area": false, "age_band": "45-54" }
            }
            """);

        var fields = EventFields.Flatten(doc.RootElement);

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["properties.service_line"] = "implants",
                ["properties.new_patient"] = "true",
                ["properties.rating"] = "4.5",
                ["traits.company.org_type"] = "payer",
                ["derived.in_service_area"] = "false",
                ["derived.age_band"] = "45-54",
                ["context.campaign.name"] = "spring",
                ["context.campaign.source"] = "google",
                ["context.campaign.medium"] = "cpc",
            },
            fields);
    }
}
