using System.Collections.Frozen;

namespace Gateway.Compliance.Detectors;

/// <summary>
/// The detectors a policy may name. Built once at start; <see cref="Default"/> holds the built-in ones.
/// </summary>
public sealed class TextDetectorRegistry
{
    private readonly FrozenDictionary<string, ITextDetector> _detectors;

    public TextDetectorRegistry(IEnumerable<ITextDetector> detectors)
    {
        var map = new Dictionary<string, ITextDetector>(StringComparer.Ordinal);
        foreach (var detector in detectors)
        {
            if (!map.TryAdd(detector.Name, detector))
            {
                throw new ArgumentException($"Two text detectors are named '{detector.Name}'.", nameof(detectors));
            }
        }

        _detectors = map.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The built-in detectors: email, phone, ssn, mrn, date, street-address, url, ip, credit-card, person-name, zip.</summary>
    public static TextDetectorRegistry Default { get; } = new(BuiltIn());

    public IEnumerable<string> Names => _detectors.Keys.Order(StringComparer.Ordinal);

    public IReadOnlyList<ITextDetector> All => [.. _detectors.Values.OrderBy(d => d.Name, StringComparer.Ordinal)];

    public bool TryGet(string name, out ITextDetector detector) => _detectors.TryGetValue(name, out detector!);

    /// <summary>A registry with the built-in detectors plus <paramref name="extra"/>.</summary>
    public TextDetectorRegistry With(params ITextDetector[] extra) => new(_detectors.Values.Concat(extra));

    public static IEnumerable<ITextDetector> BuiltIn() => BuiltIn(prefilter: true);

    /// <summary>
    /// The built-in detectors; <paramref name="prefilter"/> false runs every pattern on every text (the reference the
    /// tests compare the prefiltered detectors with: the same matches on every text).
    /// </summary>
    internal static IEnumerable<ITextDetector> BuiltIn(bool prefilter) =>
    [
        new RegexDetector("email", BuiltInPatterns.Email(), mayMatchOnlyWith: prefilter ? BuiltInPatterns.EmailCues : null),
        new RegexDetector("url", BuiltInPatterns.Url(), mayMatchOnlyWith: prefilter ? BuiltInPatterns.DotOrColon : null),
        new RegexDetector("ip", BuiltInPatterns.IpAddress(), mayMatchOnlyWith: prefilter ? BuiltInPatterns.DotOrColon : null),
        new RegexDetector("ssn", BuiltInPatterns.Ssn(), mayMatchOnlyWith: prefilter ? BuiltInPatterns.Digits : null),
        new LuhnCardDetector(prefilter ? BuiltInPatterns.Digits : null),
        new RegexDetector("phone", BuiltInPatterns.Phone(), mayMatchOnlyWith: prefilter ? BuiltInPatterns.Digits : null),
        new RegexDetector("date", BuiltInPatterns.Date(), mayMatchOnlyWith: prefilter ? BuiltInPatterns.Digits : null),
        new RegexDetector("street-address", BuiltInPatterns.StreetAddress(), mayMatchOnlyWith: prefilter ? BuiltInPatterns.Digits : null),

        // Identifier keywords ("member id ABCD-12") need no digit: always run.
        new RegexDetector("mrn", BuiltInPatterns.Mrn()),
        new RegexDetector("zip", BuiltInPatterns.Zip(), mayMatchOnlyWith: prefilter ? BuiltInPatterns.Digits : null),
        new PersonNameDetector(prefilter ? BuiltInPatterns.AsciiUppercase : null),
    ];
}
