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

    /// <summary>The email pattern needs <c>@</c>, <c>(at)</c> or <c>[at]</c>.</summary>
    internal static SearchValues<char> EmailCues { get; } = SearchValues.Create("@([");

    /// <summary>The URL and IP patterns need a dot (hosts, IPv4) or a colon (<c>scheme://</c>, IPv6).</summary>
    internal static SearchValues<char> DotOrColon { get; } = SearchValues.Create(".:");

    /// <summary>Both name patterns need a capital letter (case-sensitive <c>[A-Z]</c>) to start the name.</summary>
    internal static SearchValues<char> AsciiUppercase { get; } = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ");

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+(?:@|\s*(?:\(at\)|\[at\])\s*)[A-Za-z0-9\-]+(?:(?:\.|\s*(?:\(dot\)|\[dot\])\s*)[A-Za-z0-9\-]+)*(?:\.|\s*(?:\(dot\)|\[dot\])\s*)[A-Za-z]{2,}", Options | RegexOptions.IgnoreCase, TimeoutMs)]
    internal static partial Regex Email();

    [GeneratedRegex(@"(?<![\w/])(?:\+?\d{1,3}[\s.\-]?)?(?:\(\d{3}\)|\d{3})[\s.\-]?\d{3}[\s.\-]?\d{4}(?:\s*(?:x|ext\.?)\s*\d{1,6})?(?![\w/])", Options | RegexOptions.IgnoreCase, TimeoutMs)]
    internal static partial Regex Phone();

    [GeneratedRegex(@"(?<!\d)(?!000|666|9\d\d)\d{3}[\s\-](?!00)\d{2}[\s\-](?!0000)\d{4}(?!\d)|(?i:\b(?:ssn|social security(?: number| no\.?| #)?)\b)\s*[:#]?\s*\d{3}\s*-?\s*\d{2}\s*-?\s*\d{4}", Options, TimeoutMs)]
    internal static partial Regex Ssn();

    [GeneratedRegex(@"(?i:\b(?:mrn|medical record(?:\s+(?:number|no\.?|num|#))?|patient\s+(?:id|number|no\.?|#)|chart\s*(?:number|no\.?|#)|member\s*(?:id|number|#)|policy\s*(?:id|number|no\.?|#)|account\s*(?:number|no\.?|#)|acct\s*#?|subscriber\s*(?:id|#)|group\s*(?:number|#)|license\s*(?:number|no\.?|#)|id\s*(?:number|#))\b)\s*[:#=\-]?\s*[A-Za-z0-9][A-Za-z0-9\-]{3,}|(?<![\d$]|\d[.,])\d{6,}(?!\d|[.,]\d)", Options, TimeoutMs)]
    internal static partial Regex Mrn();

    [GeneratedRegex(@"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[/\-.]\d{1,2}[/\-.]\d{2,4}\b|\b\d{1,2}/\d{1,2}\b|(?i:\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?\b|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b(?:,?\s+\d{4})?)", Options, TimeoutMs)]
    internal static partial Regex Date();

    [GeneratedRegex(@"\b\d{1,6}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?(?:[A-Za-z0-9'.\-]+\s+){0,4}?(?i:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|terrace|ter|circle|cir|parkway|pkwy|highway|hwy|square|sq|trail|trl|loop|row|alley|plaza)\b\.?(?:\s*,?\s*(?i:apt|apartment|suite|ste|unit|#)\s*[\w\-]+)?|(?i:\bp\.?\s*o\.?\s*box\s+\d+)", Options, TimeoutMs)]
    internal static partial Regex StreetAddress();

    [GeneratedRegex(@"(?i:\b(?:https?|ftp)://[^\s<>""']+|\bwww\.[^\s<>""']+|\b[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.(?:com|org|net|edu|gov|io|co|us|health|care|info|biz|me)(?:/[^\s<>""']*)?)", Options, TimeoutMs)]
    internal static partial Regex Url();

    [GeneratedRegex(@"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d.]\d)|(?i:(?<![\w:])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?![\w:])|(?<![\w:])(?:[0-9a-f]{1,4}:){1,7}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})?(?![\w:]))", Options, TimeoutMs)]
    internal static partial Regex IpAddress();

    [GeneratedRegex(@"(?<![\d\-])\d(?:[\s\-]?\d){12,18}(?![\d\-])", Options, TimeoutMs)]
    internal static partial Regex CardCandidate();

    /// <summary>A capitalized name (optionally after a title) that follows a cue such as "my name is" or "patient".</summary>
    [GeneratedRegex(@"(?i:\b(?:my\s+name\s+is|name\s*(?:is|:)|i\s+am|i'm|im|this\s+is|patient(?:\s+name)?\s*:?|pt\.?|for\s+my\s+(?:son|daughter|wife|husband|mother|father|mom|dad|child|kid|partner)|(?:son|daughter|wife|husband|mother|father|mom|dad|child|partner)(?:'s)?\s+(?:name\s+)?(?:is\s+)?|signed|regards|thanks|thank\s+you|sincerely|contact|ask\s+for|referred\s+by|referring\s+(?:dr\.?|doctor|provider)?)\b[,:]?\s+)(?<n>(?:(?i:dr|doctor|mr|mrs|ms|miss|mx|prof)\.?\s+)?(?-i:[A-Z][a-zA-Z'\-]+)(?:\s+(?-i:[A-Z][a-zA-Z'\-]*\.?)){0,2})", Options, TimeoutMs)]
    internal static partial Regex CuedName();

    /// <summary>A name after a title: Dr., Mr., Mrs., Ms., Prof.</summary>
    [GeneratedRegex(@"\b(?i:dr|doctor|mr|mrs|ms|miss|mx|prof)\.?\s+(?-i:[A-Z][a-zA-Z'\-]+)(?:\s+(?-i:[A-Z][a-zA-Z'\-]+))?", Options, TimeoutMs)]
    internal static partial Regex TitledName();

    [GeneratedRegex(@"(?<![\d\-])\d{5}(?:-\d{4})?(?![\d\-])", Options, TimeoutMs)]
    internal static partial Regex Zip();
}
