using System.Text;
using System.Text.RegularExpressions;

namespace Gateway.Compliance.Detectors;

/// <summary>
/// Runs a set of detectors over free text and replaces every detected span with
/// <c>[REDACTED:TYPE]</c>. Overlapping matches merge; the earliest-starting, longest match names the span.
/// </summary>
public sealed class TextRedactor
{
    private readonly ITextDetector[] _detectors;

    public TextRedactor(IEnumerable<ITextDetector> detectors)
    {
        _detectors = [.. detectors];
    }

    public IReadOnlyList<ITextDetector> Detectors => _detectors;

    /// <summary>The outcome of redacting one text: the new text and which detectors fired (no values).</summary>
    public readonly record struct Result(string Text, IReadOnlyList<string> DetectorsFired, bool TimedOut);

    public Result Redact(string text)
    {
        var matches = new List<TextMatch>();
        var timedOut = false;
        foreach (var detector in _detectors)
        {
            try
            {
                detector.Detect(text, matches);
            }
            catch (RegexMatchTimeoutException)
            {
                // A pathological input: fail closed by redacting the whole text.
                timedOut = true;
            }
        }

        if (timedOut)
        {
            return new Result(Placeholder("TEXT"), ["timeout"], true);
        }

        if (matches.Count == 0)
        {
            return new Result(text, [], false);
        }

        matches.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.Length.CompareTo(a.Length));
        var fired = new List<string>();
        var builder = new StringBuilder(text.Length);
        var position = 0;
        var i = 0;
        while (i < matches.Count)
        {
            var current = matches[i];
            var end = current.End;
            var j = i + 1;
            while (j < matches.Count && matches[j].Start < end)
            {
                end = Math.Max(end, matches[j].End);
                j++;
            }

            builder.Append(text, position, current.Start - position);
            builder.Append(Placeholder(current.Detector));
            if (!fired.Contains(current.Detector))
            {
                fired.Add(current.Detector);
            }

            position = end;
            i = j;
        }

        builder.Append(text, position, text.Length - position);
        fired.Sort(StringComparer.Ordinal);
        return new Result(builder.ToString(), fired, false);
    }

    /// <summary>Lists the detectors that fire on <paramref name="text"/>, without changing it.</summary>
    public IReadOnlyList<string> Scan(string text)
    {
        var matches = new List<TextMatch>();
        foreach (var detector in _detectors)
        {
            try
            {
                detector.Detect(text, matches);
            }
            catch (RegexMatchTimeoutException)
            {
                return ["timeout"];
            }
        }

        return [.. matches.Select(m => m.Detector).Distinct().Order(StringComparer.Ordinal)];
    }

    public static string Placeholder(string detector) => $"[REDACTED:{detector.ToUpperInvariant().Replace('-', '_')}]";
}
