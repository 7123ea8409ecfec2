using System.Text.RegularExpressions;

namespace Gateway.Compliance.Detectors;

/// <summary>
/// Runs a set of detectors over text and reports where each fired (never the text). The free-text scrubber uses the
/// spans to label what it redacts and to catch identifiers built from ordinary words; <c>policy explain</c> uses
/// <see cref="Scan"/> to warn about forwarded text a detector still finds.
/// </summary>
public sealed class TextDetection
{
    private readonly ITextDetector[] _detectors;

    public TextDetection(IEnumerable<ITextDetector> detectors)
    {
        _detectors = [.. detectors];
    }

    public IReadOnlyList<ITextDetector> Detectors => _detectors;

    /// <summary>Adds every detector's matches to <paramref name="matches"/>; false when a pattern timed out on pathological text (fail closed: treat all of it as identifying).</summary>
    public bool TryFind(string text, List<TextMatch> matches)
    {
        foreach (var detector in _detectors)
        {
            try
            {
                detector.Detect(text, matches);
            }
            catch (RegexMatchTimeoutException)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Lists the detectors that fire on <paramref name="text"/>, without changing it (<c>timeout</c> when a pattern timed out).</summary>
    public IReadOnlyList<string> Scan(string text)
    {
        var matches = new List<TextMatch>();
        return TryFind(text, matches) ? [.. matches.Select(m => m.Detector).Distinct().Order(StringComparer.Ordinal)] : ["timeout"];
    }

    /// <summary>What replaces a redacted span: <c>[REDACTED:TYPE]</c>, or <c>[REDACTED]</c> for a word nothing identified.</summary>
    public static string Placeholder(string? detector) =>
        string.IsNullOrEmpty(detector) ? "[REDACTED]" : $"[REDACTED:{detector.ToUpperInvariant().Replace('-', '_')}]";
}
