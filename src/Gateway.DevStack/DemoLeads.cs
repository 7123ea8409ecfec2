using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.Compliance.Pseudonyms;

namespace Gateway.DevStack;

/// <summary>Prints the demo practice's leads from the scoring service, named by the demo's own labels (pseudonyms computed locally with the demo key).</summary>
internal static class DemoLeads
{
    /// <returns>The user ids that have a lead.</returns>
    public static async Task<HashSet<string>> PrintAsync(StackLayout layout, DemoSecrets secrets, IReadOnlyList<(string UserId, string Label, string Story)> people)
    {
        using var scoring = new HttpClient { BaseAddress = layout.Scoring };
        scoring.DefaultRequestHeaders.Add("X-Api-Key", secrets.ScoringApiKey);
        var leads = (await scoring.GetFromJsonAsync<JsonObject>($"/api/leads?practice={StackLayout.Practice}"))!["leads"]!.AsArray();
        using var key = new PseudonymKey(StackLayout.PseudonymKeyId, Convert.FromBase64String(File.ReadAllText(secrets.PseudonymKeyFile).Trim()), StackLayout.Practice);
        var labels = people.ToDictionary(p => Pseudonymizer.Pseudonymize(key, p.UserId, IdentifierNormalization.Exact), p => p);

        Console.WriteLine();
        Console.WriteLine($"{"person",-12} {"stage",-12} {"score",6} {"fit",6} {"intent",7}  {"queue",-22} story");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var lead in leads.OrderByDescending(l => (double?)l!["score"] ?? 0))
        {
            if (!labels.TryGetValue((string)lead!["subject"]!, out var person))
            {
                continue;
            }

            seen.Add(person.UserId);
            Console.WriteLine($"{person.Label,-12} {(string?)lead["stage"],-12} {(double?)lead["score"],6:0.0} {(double?)lead["fit"],6:0.0} {(double?)lead["intent"],7:0.0}  {(string?)lead["queue"] ?? "-",-22} {person.Story}");
        }

        return seen;
    }
}
