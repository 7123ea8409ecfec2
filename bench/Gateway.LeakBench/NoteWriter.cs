namespace Gateway.LeakBench;

/// <summary>
/// Writes free text the way patients and front desks do: ordinary sentences about care (the harmless words whose
/// survival is the utility figure) around one identifier introduced in one of many ways, or with no cue at all.
/// </summary>
public sealed class NoteWriter(Random random)
{
    private static readonly Dictionary<string, string[]> s_sentences = new(StringComparer.Ordinal)
    {
        ["dental"] =
        [
            "I would like to book a cleaning and a checkup for next week.",
            "My tooth has been sensitive to cold since the weekend.",
            "Interested in implants and want to know about financing options.",
            "Do you take my insurance for a crown?",
            "Looking for whitening before the wedding, morning appointments are best.",
            "I have a cracked filling and some swelling near the back molar.",
            "My gums bleed when I brush, is that an emergency?",
            "We need a new dentist for the whole family, including two kids.",
            "Asking about clear aligners versus braces for my daughter.",
            "Please call me back about the root canal estimate.",
            "Wisdom tooth pain on the left side, it hurts to chew.",
            "Can I get sedation for the extraction? I am nervous about needles.",
        ],
        ["healthcare"] =
        [
            "I need a physical and would like to see a doctor this month.",
            "Asking about a referral to cardiology after my last visit.",
            "My knee has been swollen for two weeks and it hurts to walk.",
            "Do you accept my insurance plan for a specialist visit?",
            "Looking for a new primary care provider close to work.",
            "Could someone call me about my lab results and next steps?",
            "I would prefer an afternoon appointment with a female physician.",
            "Back pain after lifting, is physical therapy available?",
            "Need a follow up for my allergy treatment and a flu shot.",
            "Please send information about the sleep study program.",
        ],
        ["digital-health"] =
        [
            "We are evaluating virtual care options for our employees next year.",
            "Please share pricing and the results of your pilot programs.",
            "Our health plan wants to improve member engagement and outcomes.",
            "Interested in a demo of the diabetes and weight management program.",
            "We need an integration with our benefits platform and claims data.",
            "Looking for behavioral health coaching for a self insured employer.",
            "Can you send case studies about enrollment and retention?",
            "Our team would like to schedule a call about the rollout timeline.",
        ],
    };

    private static readonly string[] s_cues =
    [
        "My name is {0}.",
        "This is {0}, please call back.",
        "{0} here,",
        "Patient: {0}.",
        "Call me at {0}.",
        "You can reach me at {0} after five.",
        "Email me at {0} please.",
        "I live at {0}.",
        "Born {0}.",
        "DOB {0}",
        "Chart {0}.",
        "for my son {0}",
        "ask for {0}",
        "{0}",
        "{0}",
        "{0}",
        "regards, {0}",
        "I'm {0} and",
    ];

    /// <summary>A note for <paramref name="vertical"/> carrying <paramref name="identifier"/>, and the harmless words written around it.</summary>
    public (string Text, IReadOnlyList<string> HarmlessWords) Write(string vertical, string identifier)
    {
        var sentences = s_sentences.TryGetValue(vertical, out var own) ? own : s_sentences["healthcare"];
        var before = sentences[random.Next(sentences.Length)];
        var after = sentences[random.Next(sentences.Length)];
        var cue = s_cues[random.Next(s_cues.Length)];
        var planted = string.Format(System.Globalization.CultureInfo.InvariantCulture, cue, identifier);
        var text = random.Next(3) switch
        {
            0 => $"{planted} {before} {after}",
            1 => $"{before} {planted} {after}",
            _ => $"{before} {after} {planted}",
        };
        return (text, [.. Words(before), .. Words(after)]);
    }

    /// <summary>Every sentence this writer uses for a vertical, for choosing names that collide with none of their words.</summary>
    public static IEnumerable<string> AllWords() => s_sentences.Values.SelectMany(s => s).SelectMany(Words).Concat(s_cues.SelectMany(Words));

    public static IEnumerable<string> Words(string sentence) =>
        sentence.Split([' ', ',', '.', '?', '!', ':', '{', '}', '0'], StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.ToLowerInvariant())
            .Where(w => w.All(char.IsLetter));
}
