using System.Text.RegularExpressions;

namespace Gateway.Compliance.Schemas;

/// <summary>
/// Schema <c>pattern</c> keywords are written by whoever edits a policy and run against attacker-chosen text.
/// The compiled validator matches them with <see cref="RegexOptions.NonBacktracking"/> (time linear in the input,
/// whatever the pattern), and a policy is refused when a pattern needs backtracking (backreferences, lookarounds,
/// atomic groups) or nests quantifiers (<c>(a+)+</c>), which the reference validator would match in exponential time.
/// </summary>
public static class SchemaPatterns
{
    /// <summary>A pattern as the compiled validator matches it. Throws for patterns <see cref="Problem"/> reports.</summary>
    public static Regex Compile(string pattern) => new(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);

    /// <summary>Why <paramref name="pattern"/> may not be used, or null when it can.</summary>
    public static string? Problem(string pattern)
    {
        try
        {
            _ = Compile(pattern);
        }
        catch (NotSupportedException)
        {
            return "the pattern needs backtracking (a backreference, lookaround or atomic group); write it without";
        }
        catch (ArgumentException)
        {
            return "the pattern is not a valid regular expression";
        }

        return HasNestedQuantifier(pattern)
            ? "the pattern repeats a group that itself repeats (like (a+)+), which can backtrack catastrophically; repeat the inner part once"
            : null;
    }

    /// <summary>True when a quantified group (<c>*</c>, <c>+</c> or <c>{n,}</c>) contains a quantifier itself.</summary>
    internal static bool HasNestedQuantifier(string pattern)
    {
        var groups = new Stack<bool>();
        var containsQuantifier = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '\\':
                    i++;
                    break;
                case '[':
                    i = EndOfClass(pattern, i);
                    break;
                case '(':
                    groups.Push(containsQuantifier);
                    containsQuantifier = false;
                    break;
                case ')':
                    var inner = containsQuantifier;
                    containsQuantifier = groups.Count > 0 && groups.Pop();
                    if (IsRepeat(pattern, i + 1))
                    {
                        if (inner)
                        {
                            return true;
                        }

                        containsQuantifier = true;
                    }
                    else
                    {
                        containsQuantifier |= inner;
                    }

                    break;
                default:
                    if (IsRepeat(pattern, i))
                    {
                        containsQuantifier = true;
                    }

                    break;
            }
        }

        return false;
    }

    private static bool IsRepeat(string pattern, int at) =>
        at < pattern.Length && (pattern[at] is '*' or '+' || (pattern[at] == '{' && IsUnboundedOrMany(pattern, at)));

    private static bool IsUnboundedOrMany(string pattern, int at)
    {
        var close = pattern.IndexOf('}', at);
        if (close < 0)
        {
            return false;
        }

        var parts = pattern[(at + 1)..close].Split(',');
        return parts.Length == 2 && (parts[1].Length == 0 || (int.TryParse(parts[1], out var max) && max > 1));
    }

    private static int EndOfClass(string pattern, int open)
    {
        for (var i = open + 1; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\')
            {
                i++;
            }
            else if (pattern[i] == ']' && i > open + 1)
            {
                return i;
            }
        }

        return pattern.Length;
    }
}
