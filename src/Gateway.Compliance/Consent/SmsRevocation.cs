using Gateway.Compliance.Text;

namespace Gateway.Compliance.Consent;

/// <summary>
/// Whether an SMS reply revokes consent to texts, and by which rule. Under the FCC's 2024 TCPA revocation order
/// (47 CFR 64.1200(a)(10), in force from April 2025) a consumer may revoke by any reasonable means, and the words
/// STOP, QUIT, END, REVOKE, OPT OUT, CANCEL and UNSUBSCRIBE in a reply are reasonable per se, also inside a short
/// message ("Stop texting me"). The reply is normalized first (<see cref="TextNormalization.Fold"/>: NFKC, invisible
/// characters removed, case-folded), so <c>ＳＴＯＰ</c> and <c>st&lt;ZWSP&gt;op</c> count. In doubt it revokes:
/// a text wrongly withheld costs little, one sent after a revocation is a TCPA violation.
/// Replies such as START do not re-grant: marketing texts need prior express written consent, recorded through the admin API.
/// </summary>
public static class SmsRevocation
{
    /// <summary>A reply up to this many characters (one SMS segment) is short: a keyword anywhere in it revokes.</summary>
    public const int ShortReplyCharacters = 160;

    /// <summary>The per se keywords, as words (OPT OUT also written OPTOUT or OPT-OUT; STOPALL as sent by carriers).</summary>
    public static IReadOnlyList<string> Keywords { get; } = ["stop", "quit", "end", "revoke", "optout", "cancel", "unsubscribe", "stopall"];

    /// <summary>Common ways of asking for no more texts, matched as word sequences anywhere in a reply of any length.</summary>
    public static IReadOnlyList<string> Phrases { get; } =
    [
        "stop texting", "stop messaging", "stop sending", "stop contacting",
        "dont text", "do not text", "dont message", "do not message", "dont contact", "do not contact",
        "no more texts", "no more text", "no more messages", "no texts", "remove me", "take me off", "opt me out",
        "leave me alone", "wrong number",
    ];

    /// <summary>The rule that makes <paramref name="reply"/> a revocation (<c>keyword:stop</c>, <c>phrase:stop texting</c>), or null.</summary>
    public static string? MatchedRule(string? reply)
    {
        if (string.IsNullOrWhiteSpace(reply))
        {
            return null;
        }

        var folded = TextNormalization.Fold(reply);
        var words = Words(folded);
        if (words.Count == 0)
        {
            return null;
        }

        var joined = " " + string.Join(' ', words) + " ";
        foreach (var phrase in Phrases)
        {
            if (joined.Contains(" " + phrase + " ", StringComparison.Ordinal))
            {
                return "phrase:" + phrase;
            }
        }

        var whole = string.Concat(words);
        if (Keywords.Contains(whole))
        {
            return "keyword:" + whole;
        }

        if (folded.Length > ShortReplyCharacters)
        {
            return null;
        }

        for (var i = 0; i < words.Count; i++)
        {
            var word = i + 1 < words.Count && words[i] == "opt" && words[i + 1] == "out" ? "optout" : words[i];
            if (Keywords.Contains(word))
            {
                return "keyword:" + word;
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="reply"/> revokes consent to texts.</summary>
    public static bool Revokes(string? reply) => MatchedRule(reply) is not null;

    /// <summary>Letters and digits runs; apostrophes vanish inside a word ("don't" is "dont"), hyphens join ("opt-out" is "optout").</summary>
    private static List<string> Words(string folded)
    {
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        foreach (var c in folded)
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(c);
            }
            else if (c is '\'' or '\u2019' or '-' && current.Length > 0)
            {
                continue;
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        return words;
    }
}
