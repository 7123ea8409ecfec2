namespace Gateway.Compliance.Detectors;

/// <summary>
/// Finds one kind of identifier in free text. Detectors are pluggable: register more with
/// <see cref="TextDetectorRegistry"/>; a policy names which ones a <c>redact-text</c> rule uses.
/// </summary>
public interface ITextDetector
{
    /// <summary>Lower-case name used in policies and audit records, e.g. <c>email</c>.</summary>
    string Name { get; }

    /// <summary>Adds every match in <paramref name="text"/> to <paramref name="matches"/>.</summary>
    void Detect(string text, List<TextMatch> matches);
}

/// <summary>A detected identifier: where it is and which detector found it. Never holds the text.</summary>
public readonly record struct TextMatch(int Start, int Length, string Detector)
{
    public int End => Start + Length;
}
