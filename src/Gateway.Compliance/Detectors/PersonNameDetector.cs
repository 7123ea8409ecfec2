using System.Buffers;

namespace Gateway.Compliance.Detectors;

/// <summary>
/// Person names introduced by a cue ("my name is", "patient", "referred by") or a title ("Dr.", "Mrs.").
/// The two patterns run separately so their matches can overlap and merge: "referred by Dr. Alan Smith"
/// is caught whole even though the cue pattern stops at "Dr".
/// </summary>
public sealed class PersonNameDetector(SearchValues<char>? mayMatchOnlyWith) : ITextDetector
{
    private readonly RegexDetector _cued = new("person-name", BuiltInPatterns.CuedName(), "n", overlapping: true, mayMatchOnlyWith);
    private readonly RegexDetector _titled = new("person-name", BuiltInPatterns.TitledName(), mayMatchOnlyWith: mayMatchOnlyWith);

    public PersonNameDetector()
        : this(BuiltInPatterns.AsciiUppercase)
    {
    }

    public string Name => "person-name";

    public void Detect(string text, List<TextMatch> matches)
    {
        _cued.Detect(text, matches);
        _titled.Detect(text, matches);
    }
}
