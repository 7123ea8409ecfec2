using System.Collections.Frozen;

namespace Gateway.Compliance.Detectors;

/// <summary>
/// The detectors a policy may name. Built once at start; <see cref="Default"/> holds the built-in ones.
/// </summary>
public sealed class TextDetectorRegistry
{
    private readonly FrozenDictionary<string, IReadOnlyList<ITextDetector>> _detectors;

    public TextDetectorRegistry(IEnumerable<ITextDetector> detectors)
    {
        // Several detectors may share a name (two patterns for one kind of identifier): a policy names the kind.
        _detectors = detectors.GroupBy(d => d.Name, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => (IReadOnlyList<ITextDetector>)[.. g], StringComparer.Ordinal);
    }

    /// <summary>
    /// The built-in detectors: email, phone, ssn, mrn, date, street-address, url, ip, credit-card, zip. Person names are
    /// found by the free-text scrubber (<c>person-name</c>), which needs the vocabulary.
    /// </summary>
    public static TextDetectorRegistry Default { get; } = WarmedUp(new(BuiltIn()));

    /// <summary>
    /// Runs every detector once: the first match of a large generated pattern compiles it, and that time counts against
    /// the pattern's match timeout, which would otherwise fail a whole text closed for nothing on the first event.
    /// </summary>
    internal static TextDetectorRegistry WarmedUp(TextDetectorRegistry registry)
    {
        const string Sample = "Jane Roe at 12 Oak Hollow Rd, jane@example.com or jane at example dot com, 617-555-0134, +44 20 7946 0958, " +
            "ssn 078-05-1120, born 1971-04-09 or 9-Apr-1971, MRN A-12345, 4111 1111 1111 1111, www.example.com, 203.0.113.7, lives on maple street";
        var matches = new List<TextMatch>();
        foreach (var detector in registry.All)
        {
            try
            {
                detector.Detect(Sample, matches);
            }
            catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
            {
                // A slow first run on a busy machine: the pattern is compiled now, which is all this is for.
            }
        }

        return registry;
    }

    public IEnumerable<string> Names => _detectors.Keys.Order(StringComparer.Ordinal);

    public IReadOnlyList<ITextDetector> All => [.. _detectors.OrderBy(d => d.Key, StringComparer.Ordinal).SelectMany(d => d.Value)];

    /// <summary>The detectors registered under <paramref name="name"/> (one kind of identifier may have several patterns).</summary>
    public bool TryGet(string name, out IReadOnlyList<ITextDetector> detectors) => _detectors.TryGetValue(name, out detectors!);

    /// <summary>A registry with the built-in detectors plus <paramref name="extra"/>.</summary>
    public TextDetectorRegistry With(params ITextDetector[] extra) => new(_detectors.Values.SelectMany(d => d).Concat(extra));

    public static IEnumerable<ITextDetector> BuiltIn() => BuiltIn(prefilter: true);

    /// <summary>
    /// The built-in detectors; <paramref name="prefilter"/> false runs every pattern on every text (the reference the
    /// tests compare the prefiltered detectors with: the same matches on every text).
    /// </summary>
    internal static IEnumerable<ITextDetector> BuiltIn(bool prefilter) =>
    [
        new RegexDetector("email", BuiltInPatterns.Email(), mayMatchOnlyWith: prefilter ? BuiltInPatterns.EmailCues : null),
        new EmailInWordsDetector(prefilter ? BuiltInPatterns.AtWord : null),
        new RegexDetector("url", BuiltInPatterns.Url(), mayMatchOnlyWith: prefilter ? BuiltInPatterns.DotOrColon : null),
        new RegexDetector("ip", BuiltInPatterns.IpAddress(), mayMatchOnlyWith: prefilter ? BuiltInPatterns.DotOrColon : null),
        new RegexDetector("ssn", BuiltInPatterns.Ssn(), mayMatchOnlyWith: prefilter ? BuiltInPatterns.Digits : null),
        new LuhnCardDetector(prefilter ? BuiltInPatterns.Digits : null),
        new RegexDetector("phone", BuiltInPatterns.Phone(), mayMatchOnlyWith: prefilter ? BuiltInPatterns.Digits : null),
        new RegexDetector("date", BuiltInPatterns.Date(), mayMatchOnlyWith: prefilter ? BuiltInPatterns.Digits : null),
        new RegexDetector("street-address", BuiltInPatterns.StreetAddress(), mayMatchOnlyWith: prefilter ? BuiltInPatterns.Digits : null),
        new StreetNameDetector(BuiltInPatterns.NamedStreet()),
        new RegexDetector("street-address", BuiltInPatterns.NumberedName(), mayMatchOnlyWith: prefilter ? BuiltInPatterns.Digits : null),
        new StreetNameDetector(BuiltInPatterns.WordsBeforeStreet(), mayMatchOnlyWithWord: prefilter ? BuiltInPatterns.StreetWords : null),

        // Identifier keywords ("member id ABCD-12") need no digit: always run.
        new RegexDetector("mrn", BuiltInPatterns.Mrn()),
        new RegexDetector("zip", BuiltInPatterns.Zip(), mayMatchOnlyWith: prefilter ? BuiltInPatterns.Digits : null),
    ];
}
