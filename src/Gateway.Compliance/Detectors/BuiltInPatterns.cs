using System.Buffers;
using System.Text.RegularExpressions;

namespace Gateway.Compliance.Detectors;

/// <summary>
/// The patterns behind the built-in detectors. They are tuned to over-redact rather than miss:
/// a false positive costs a word of context, a false negative leaks PHI.
/// </summary>
internal static partial class BuiltInPatterns
{
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;
    private const int TimeoutMs = 250;

    /// <summary>
    /// Every character <c>\d</c> matches (Unicode decimal digits, not only ASCII): the phone, SSN, card, date, street
    /// address and ZIP patterns all require one, so text without any cannot match them.
    /// </summary>
    internal static SearchValues<char> Digits { get; } =
        SearchValues.Create([.. Enumerable.Range(0, char.MaxValue + 1).Select(c => (char)c).Where(char.IsDigit)]);

    /// <summary>The email pattern needs <c>@</c>, <c>(at)</c>, <c>[at]</c> or <c>{at}</c>.</summary>
    internal static SearchValues<char> EmailCues { get; } = SearchValues.Create("@([{");

    /// <summary>The URL and IP patterns need a dot (hosts, IPv4) or a colon (<c>scheme://</c>, IPv6).</summary>
    internal static SearchValues<char> DotOrColon { get; } = SearchValues.Create(".:");

    /// <summary>The spelled-out email pattern needs the word "at".</summary>
    internal static SearchValues<string> AtWord { get; } = SearchValues.Create([" at ", "\tat ", " at\t", "\nat ", " at\n"], StringComparison.OrdinalIgnoreCase);

    /// <summary>The unambiguous street types the lower-case street pattern needs.</summary>
    internal static SearchValues<string> StreetWords { get; } = SearchValues.Create(["street", "avenue", "road", "boulevard", "lane", "terrace", "parkway", "highway", "crescent", "strasse", "straße"], StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"[\p{L}\p{N}._%+\-]+(?:\s*@\s*|\s*(?:\(at\)|\[at\]|\{at\})\s*)[\p{L}\p{N}\-]+(?:(?:\.|\s*(?:\(dot\)|\[dot\]|\{dot\})\s*)[\p{L}\p{N}\-]+)*(?:\.|\s*(?:\(dot\)|\[dot\]|\{dot\})\s*)\p{L}{2,}", Options | RegexOptions.IgnoreCase, TimeoutMs)]
    internal static partial Regex Email();

    /// <summary>An address spelled out in words: "jane at example dot com" (needs the word "at").</summary>
    [GeneratedRegex(@"\b[\p{L}\p{N}._%+\-]+\s+at\s+[\p{L}\p{N}\-]+(?:\s+dot\s+[\p{L}\p{N}\-]+)*(?:\s+dot\s+|\.)\p{L}{2,}\b", Options | RegexOptions.IgnoreCase, TimeoutMs)]
    internal static partial Regex EmailInWords();

    [GeneratedRegex(@"(?<![\w/])(?:\+?\d{1,3}[\s.\-]?)?(?:\(\d{3}\)|\d{3})[\s.\-/]?\d{3}[\s.\-/]?\d{4}(?:\s*(?:x|ext\.?)\s*\d{1,6})?(?![\w/])|(?<![\w+])\+\s?\d{1,3}(?:[\s.\-/]{0,2}\(?\d{1,5}\)?){2,6}(?![\w/])", Options | RegexOptions.IgnoreCase, TimeoutMs)]
    internal static partial Regex Phone();

    [GeneratedRegex(@"(?<!\d)(?!000|666|9\d\d)\d{3}[\s.\-](?!00)\d{2}[\s.\-](?!0000)\d{4}(?!\d)|(?i:\b(?:ssn|social security(?: number| no\.?| #)?)\b)\s*[:#]?\s*\d{3}\s*[.\-]?\s*\d{2}\s*[.\-]?\s*\d{4}", Options, TimeoutMs)]
    internal static partial Regex Ssn();

    [GeneratedRegex(@"(?i:\b(?:mrn|medical record(?:\s+(?:number|no\.?|num|#))?|patient\s+(?:id|number|no\.?|#)|chart(?:\s*(?:number|no\.?|#))?|record\s*(?:number|no\.?|#)|member\s*(?:id|number|no\.?|#)|policy\s*(?:id|number|no\.?|#)?|account\s*(?:number|no\.?|#)?|acct\.?\s*(?:no\.?|#)?|subscriber\s*(?:id|#)|group\s*(?:number|#)|licen[cs]e\s*(?:number|no\.?|#)?|claim\s*(?:number|no\.?|#)?|id\s*(?:number|#)|case\s*(?:number|no\.?|#))\b)\s*[:#=\-]?\s*(?=[A-Za-z\-]*\d)[A-Za-z0-9][A-Za-z0-9\-]{3,}|(?<![\d$]|\d[.,])\d{6,}(?!\d|[.,]\d)", Options, TimeoutMs)]
    internal static partial Regex Mrn();

    private const string MonthNames = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";

    [GeneratedRegex(@"\b\d{4}[\-/.]\d{1,2}[\-/.]\d{1,2}\b|\b\d{1,2}[/\-.]\d{1,2}[/\-.]\d{2,4}\b|\b\d{1,2}/\d{1,2}\b|(?i:\b\d{1,2}[\-/. ]?(?:" + MonthNames + @")\.?[\-/. ,]*\d{2,4}\b|\b(?:" + MonthNames + @")\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?\b|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:" + MonthNames + @")\b(?:,?\s+\d{4})?)", Options, TimeoutMs)]
    internal static partial Regex Date();

    /// <summary>Street types (the USPS suffixes Bogus knows, their abbreviations, and a few German ones), longest first.</summary>
    private const string StreetSuffixes =
        "expressway|extensions|throughway|trafficway|boulevard|crossroad|extension|junctions|mountains|stravenue|underpass|causeway|crescent|crossing|junction|motorway|mountain|overpass|parkways|turnpike|villages|centers|circles|circuit|commons|corners|estates|freeway|gardens|gateway|harbors|harbour|heights|highway|islands|landing|meadows|mission|orchard|parkway|passage|prairie|springs|squares|station|strasse|streets|terrace|valleys|viaduct|village|walkway|avenue|branch|bridge|brooks|bypass|canyon|center|circle|cliffs|common|corner|course|courts|divide|drives|estate|fields|forest|forges|garden|greens|groves|harbor|hollow|island|knolls|lights|manors|meadow|parade|plains|pointe|points|radial|rapids|ridges|shoals|shores|skyway|spring|square|straße|stream|street|summit|tunnel|unions|valley|allee|alley|brook|burgs|cliff|close|court|coves|creek|crest|curve|drive|falls|ferry|field|flats|fords|forge|forks|gasse|glens|green|grove|haven|hills|inlet|knoll|lakes|light|locks|lodge|manor|mills|mount|parks|pines|place|plain|platz|plaza|point|ports|ranch|rapid|ridge|river|roads|route|shoal|shore|spurs|trace|track|trail|union|views|ville|vista|walks|wells|wharf|blvd|burg|camp|cape|club|cove|cres|dale|expy|fall|flat|ford|fork|fort|gdns|glen|hill|holw|isle|keys|lake|land|lane|loaf|lock|loop|mall|mews|mill|neck|oval|park|pass|path|pike|pine|pkwy|port|ramp|rest|road|spur|tpke|view|walk|wall|ways|well|xing|aly|ave|cir|dam|frk|fwy|grn|hts|hwy|jct|key|plz|rdg|row|rue|run|str|ter|trl|via|way|weg|av|ct|dr|ln|pl|pt|rd|sq|st";

    private static readonly System.Collections.Frozen.FrozenSet<string> s_streetTypes =
        System.Collections.Frozen.FrozenSet.ToFrozenSet(StreetSuffixes.Split('|'), StringComparer.OrdinalIgnoreCase);

    /// <summary>True for a street type or its abbreviation ("court", "ln").</summary>
    internal static bool IsStreetType(string word) => s_streetTypes.Contains(word);

    /// <summary>A house number, up to four words and a street type ("12 Oak Hollow Ln, Apt 4B"), or a post office box.</summary>
    [GeneratedRegex(@"\b\d{1,6}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?(?:[\p{L}'.\-]+\s+){0,4}?(?i:" + StreetSuffixes + @")\b\.?(?:\s+(?i:" + StreetSuffixes + @")\b\.?){0,2}(?:\s*,?\s*(?i:apt|apartment|suite|ste|unit|#)\s*[\w\-]+)?|(?i:\bp\.?\s*o\.?\s*box\s+\d+)", Options, TimeoutMs)]
    internal static partial Regex StreetAddress();

    /// <summary>Capitalized words and a street type without a number ("Oak Hollow", "St. Mary's Road").</summary>
    [GeneratedRegex(@"\b(?:St\.?\s+)?(?:\p{Lu}[\p{L}'\-]+\s+){1,3}(?:Expressway|Extensions|Throughway|Trafficway|Boulevard|Crossroad|Extension|Junctions|Mountains|Stravenue|Underpass|Causeway|Crescent|Crossing|Junction|Motorway|Mountain|Overpass|Parkways|Turnpike|Villages|Centers|Circles|Circuit|Commons|Corners|Estates|Freeway|Gardens|Gateway|Harbors|Harbour|Heights|Highway|Islands|Landing|Meadows|Mission|Orchard|Parkway|Passage|Prairie|Springs|Squares|Station|Streets|Terrace|Valleys|Viaduct|Village|Walkway|Avenue|Branch|Bridge|Brooks|Bypass|Canyon|Center|Circle|Cliffs|Common|Corner|Course|Courts|Divide|Drives|Estate|Fields|Forest|Forges|Garden|Greens|Groves|Harbor|Hollow|Island|Knolls|Lights|Manors|Meadow|Parade|Plains|Pointe|Points|Radial|Rapids|Ridges|Shoals|Shores|Skyway|Spring|Square|Stream|Street|Summit|Tunnel|Unions|Valley|Alley|Brook|Burgs|Cliff|Close|Court|Coves|Creek|Crest|Curve|Drive|Falls|Ferry|Field|Flats|Fords|Forge|Forks|Glens|Green|Grove|Haven|Hills|Inlet|Knoll|Lakes|Light|Locks|Lodge|Manor|Mills|Mount|Parks|Pines|Place|Plain|Plaza|Point|Ports|Ranch|Rapid|Ridge|River|Roads|Route|Shoal|Shore|Spurs|Trace|Track|Trail|Union|Views|Ville|Vista|Walks|Wells|Wharf|Burg|Camp|Cape|Club|Cove|Dale|Fall|Flat|Ford|Fork|Fort|Glen|Hill|Isle|Keys|Lake|Land|Lane|Loaf|Lock|Loop|Mall|Mews|Mill|Neck|Oval|Park|Pass|Path|Pike|Pine|Port|Ramp|Rest|Road|Spur|View|Walk|Wall|Ways|Well|Dam|Key|Row|Rue|Run|Via|Way|Ave|Rd|Blvd|Ln|Pkwy|Hwy)\b\.?", Options, TimeoutMs)]
    internal static partial Regex NamedStreet();

    /// <summary>A house number and capitalized words after "at", "on" or "live(s)" ("reach me at 52 Pampas"), with no street type.</summary>
    [GeneratedRegex(@"(?<=\b(?i:at|on|live|lives|address|addr)\s+)\d{1,6}[A-Za-z]?\s+\p{Lu}\p{Ll}[\p{L}'\-]*(?:\s+\p{Lu}\p{Ll}[\p{L}'\-]*){0,2}", Options, TimeoutMs)]
    internal static partial Regex NumberedName();

    /// <summary>Words before an unambiguous street type, in any case ("lives on maple street").</summary>
    [GeneratedRegex(@"\b(?:[\p{L}'\-]+\s+){1,2}(?i:street|avenue|road|boulevard|lane|terrace|parkway|highway|crescent|strasse|straße)\b", Options, TimeoutMs)]
    internal static partial Regex WordsBeforeStreet();

    [GeneratedRegex(@"(?i:\b(?:https?|ftp)://[^\s<>""']+|\bwww\.[^\s<>""']+|\b[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.(?:com|org|net|edu|gov|io|co|us|uk|de|fr|es|it|nl|pl|ca|au|health|care|info|biz|me|dental|clinic|app)(?:/[^\s<>""']*)?)", Options, TimeoutMs)]
    internal static partial Regex Url();

    [GeneratedRegex(@"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d.]\d)|(?i:(?<![\w:])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?![\w:])|(?<![\w:])(?:[0-9a-f]{1,4}:){1,7}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})?(?![\w:]))", Options, TimeoutMs)]
    internal static partial Regex IpAddress();

    [GeneratedRegex(@"(?<![\d\-])\d(?:[\s\-]?\d){12,18}(?![\d\-])", Options, TimeoutMs)]
    internal static partial Regex CardCandidate();

    [GeneratedRegex(@"(?<![\d\-])\d{5}(?:-\d{4})?(?![\d\-])", Options, TimeoutMs)]
    internal static partial Regex Zip();
}
