using System.Globalization;
using System.Text;
using Bogus;

namespace Gateway.LeakBench;

/// <summary>
/// Makes synthetic identifiers of every kind with Bogus, in many locales (accented and non-Latin names, foreign
/// addresses and phone formats), and renders each through a randomly chosen rule: spellings, separators, case,
/// obfuscations ("x at example dot com"), look-alike characters (full-width forms, zero-width spaces). The rules are
/// what a person or a form might write, not a list of known cases.
/// </summary>
public sealed class IdentifierFactory
{
    public static readonly string[] Locales =
        ["en_US", "en_GB", "en_AU", "en_IND", "de", "fr", "es", "es_MX", "it", "pl", "pt_BR", "nl", "sv", "tr", "vi", "cz", "ru", "fi", "ro", "hr"];

    private static readonly string[] s_monthNames = CultureInfo.InvariantCulture.DateTimeFormat.MonthNames[..12];
    private static readonly string[] s_monthAbbreviations = CultureInfo.InvariantCulture.DateTimeFormat.AbbreviatedMonthNames[..12];

    private readonly Dictionary<string, Faker> _fakers = [];
    private readonly Random _random;
    private readonly Faker _en;

    public IdentifierFactory(int seed)
    {
        _random = new Random(seed);
        foreach (var locale in Locales)
        {
            _fakers[locale] = new Faker(locale) { Random = new Randomizer(_random.Next()) };
        }

        _en = _fakers["en_US"];
    }

    public Random Random => _random;

    public PlantedIdentifier Make(IdentifierKind kind)
    {
        var faker = _fakers[Locales[_random.Next(Locales.Length)]];
        return kind switch
        {
            IdentifierKind.Name => Name(faker),
            IdentifierKind.Email => Email(faker),
            IdentifierKind.Phone => Phone(faker),
            IdentifierKind.Ssn => Ssn(),
            IdentifierKind.Date => Date(),
            IdentifierKind.StreetAddress => StreetAddress(faker),
            IdentifierKind.City => City(faker),
            IdentifierKind.Zip => Zip(faker),
            IdentifierKind.RecordNumber => RecordNumber(),
            IdentifierKind.Url => PersonalUrl(faker),
            IdentifierKind.Ip => Ip(),
            IdentifierKind.DeviceId => DeviceId(),
            IdentifierKind.VehicleId => Vehicle(),
            IdentifierKind.CardNumber => Card(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    /// <summary>A first and last name of this locale, each of at least three letters.</summary>
    public (string First, string Last) PersonName(Faker faker)
    {
        for (var attempt = 0; ; attempt++)
        {
            var first = faker.Name.FirstName();
            var last = faker.Name.LastName();
            if ((first.Length >= 3 && last.Length >= 3 && first.All(IsNameChar) && last.All(IsNameChar)) || attempt > 20)
            {
                return (first, last);
            }
        }
    }

    private static bool IsNameChar(char c) => char.IsLetter(c) || c is '-' or '\'' or ' ';

    private PlantedIdentifier Name(Faker faker)
    {
        var (first, last) = PersonName(faker);
        var (second, _) = PersonName(faker);
        var (rendering, text) = Pick(
            ("First Last", $"{first} {last}"),
            ("first last (lower case)", $"{first} {last}".ToLowerInvariant()),
            ("LAST, First", $"{last.ToUpperInvariant()}, {first}"),
            ("First M. Last", $"{first} {second[0]}. {last}"),
            ("First Last-Second (double-barrelled)", $"{first} {last}-{second}"),
            ("first name alone", first),
            ("Dr. Last", $"Dr. {last}"),
            ("First de la Last (particle)", $"{first} de la {last}"),
            ("First Last with a zero-width space", Invisible($"{first} {last}")),
            ("First Last in full-width letters", FullWidth($"{first} {last}")));
        var needles = new List<Needle>();
        foreach (var part in Parts($"{first} {last} {(text.Contains(second, StringComparison.Ordinal) ? second : string.Empty)}"))
        {
            needles.Add(Needle.Word(part));
        }

        return new(IdentifierKind.Name, rendering, text, PlantedIdentifier.Slugify($"{first} {last}"), needles);
    }

    private PlantedIdentifier Email(Faker faker)
    {
        var (first, last) = PersonName(faker);
        var email = faker.Internet.Email(Ascii(first), Ascii(last));
        var at = email.IndexOf('@');
        var local = email[..at];
        var domain = email[(at + 1)..];
        var dot = domain.LastIndexOf('.');
        var (rendering, text) = Pick(
            ("plain", email),
            ("upper case", email.ToUpperInvariant()),
            ("x at example dot com", $"{local} at {domain[..dot]} dot {domain[(dot + 1)..]}"),
            ("x (at) example (dot) com", $"{local} (at) {domain[..dot]} (dot) {domain[(dot + 1)..]}"),
            ("x [at] example.com", $"{local} [at] {domain}"),
            ("x @ example.com (spaces)", $"{local} @ {domain}"),
            ("full-width at sign", $"{local}\uFF20{domain}"),
            ("zero-width space inside", Invisible(email)),
            ("mailto link", "mailto:" + email));
        var needles = new List<Needle> { Needle.Substring(local) };
        needles.AddRange(Parts(local).Select(Needle.Word));
        return new(IdentifierKind.Email, rendering, text, PlantedIdentifier.Slugify(email), needles);
    }

    private PlantedIdentifier Phone(Faker faker)
    {
        var national = faker.Phone.PhoneNumber();
        var digits = Needle.OnlyDigits(national);
        if (digits.Length < 7)
        {
            national = faker.Phone.PhoneNumber("(###) ###-####");
            digits = Needle.OnlyDigits(national);
        }

        var code = _random.Next(3) switch { 0 => "44", 1 => "49", _ => "33" };
        var subscriber = digits.TrimStart('0');
        var (rendering, text) = Pick(
            ("the locale's own format", national),
            ("US (617) 555-0134", faker.Phone.PhoneNumber("(###) ###-####")),
            ("US with dots", faker.Phone.PhoneNumber("###.###.####")),
            ("international +44 20 7946 0958", $"+{code} {Group(subscriber, 2, 4, 4)}"),
            ("E.164 without spaces", $"+{code}{subscriber}"),
            ("digits with slashes", Group(digits, 3, 3, 4).Replace(' ', '/')),
            ("zero-width spaces between groups", Invisible(national)));
        var all = Needle.OnlyDigits(text);
        return new(IdentifierKind.Phone, rendering, text, PlantedIdentifier.Slugify(text), [Needle.Digits(all.Length > 7 ? all[^7..] : all)]);
    }

    private PlantedIdentifier Ssn()
    {
        var area = _random.Next(1, 665);
        var group = _random.Next(1, 100);
        var serial = _random.Next(1, 10000);
        var digits = $"{area:000}{group:00}{serial:0000}";
        var (rendering, text) = Pick(
            ("123-45-6789", $"{area:000}-{group:00}-{serial:0000}"),
            ("123.45.6789", $"{area:000}.{group:00}.{serial:0000}"),
            ("123 45 6789", $"{area:000} {group:00} {serial:0000}"),
            ("nine digits", digits),
            ("SSN: 123-45-6789", $"SSN: {area:000}-{group:00}-{serial:0000}"),
            ("full-width digits", FullWidth($"{area:000}-{group:00}-{serial:0000}")));
        return new(IdentifierKind.Ssn, rendering, text, PlantedIdentifier.Slugify(text), [Needle.Digits(digits)]);
    }

    private PlantedIdentifier Date()
    {
        var date = new DateOnly(1930, 1, 1).AddDays(_random.Next(0, 365 * 78));
        var month = s_monthNames[date.Month - 1];
        var abbreviation = s_monthAbbreviations[date.Month - 1];
        var (rendering, text) = Pick(
            ("1971-04-09", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            ("04/09/1971", date.ToString("MM/dd/yyyy", CultureInfo.InvariantCulture)),
            ("09.04.1971", date.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture)),
            ("1971.04.09", date.ToString("yyyy.MM.dd", CultureInfo.InvariantCulture)),
            ("1971/04/09", date.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture)),
            ("9-Apr-1971", $"{date.Day}-{abbreviation}-{date.Year}"),
            ("April 9, 1971", $"{month} {date.Day}, {date.Year}"),
            ("9 April 1971", $"{date.Day} {month} {date.Year}"),
            ("4/9/71", $"{date.Month}/{date.Day}/{date.Year % 100:00}"),
            ("19710409", date.ToString("yyyyMMdd", CultureInfo.InvariantCulture)));
        var needles = new List<Needle>();
        var digits = Needle.OnlyDigits(text);
        if (digits.Length >= 6)
        {
            needles.Add(Needle.Digits(digits));
        }

        if (text.Contains(month, StringComparison.Ordinal) || text.Contains(abbreviation, StringComparison.Ordinal))
        {
            var name = text.Contains(month, StringComparison.Ordinal) ? month : abbreviation;
            needles.Add(Needle.Substring($"{date.Day} {name}"));
            needles.Add(Needle.Substring($"{name} {date.Day}"));
            needles.Add(Needle.Substring($"{date.Day}-{name}"));
        }

        if (digits.Length < 6)
        {
            needles.Add(Needle.Substring(text));
        }

        return new(IdentifierKind.Date, rendering, text, PlantedIdentifier.Slugify(text), needles);
    }

    private static readonly string[] s_suffixes =
        ["Street", "Avenue", "Road", "Lane", "Drive", "Court", "Fork", "Hollow", "Crossing", "Path", "Run", "Ridge", "Pike", "Glen", "Bend", "Terrace", "Way", "Circle", "Heights", "Meadows"];

    private PlantedIdentifier StreetAddress(Faker faker)
    {
        var number = faker.Address.BuildingNumber();
        var street = faker.Address.StreetName();
        var (first, last) = PersonName(faker);
        var suffix = s_suffixes[_random.Next(s_suffixes.Length)];
        var (rendering, text) = Pick(
            ("the locale's street address", $"{number} {street}"),
            ("number, surname and a rarer suffix", $"{number} {last} {suffix}"),
            ("with an apartment", $"{number} {street}, Apt {_random.Next(1, 40)}{(char)('A' + _random.Next(6))}"),
            ("St. Name Street", $"{number} St. {first} {suffix}"),
            ("lower case", $"{number} {last} {suffix}".ToLowerInvariant()),
            ("street without a number", $"{last} {suffix}"));
        var name = rendering switch
        {
            "the locale's street address" or "with an apartment" => street,
            "St. Name Street" => $"{first} {suffix}",
            _ => $"{last} {suffix}",
        };
        var needles = new List<Needle> { Needle.Substring(name) };
        needles.AddRange(Parts(name).Where(p => !s_suffixes.Contains(p, StringComparer.OrdinalIgnoreCase) && p.Length >= 4 && !IsStreetWord(p)).Select(Needle.Word));
        return new(IdentifierKind.StreetAddress, rendering, text, PlantedIdentifier.Slugify(text), needles);
    }

    /// <summary>A street type (in any of the corpus's languages): alone it names no street, so it is not a needle.</summary>
    private static bool IsStreetWord(string word) =>
        s_streetWords.Contains(word.ToLowerInvariant()) || s_suffixes.Contains(word, StringComparer.OrdinalIgnoreCase);

    private static readonly HashSet<string> s_streetWords =
    [
        "street", "strasse", "straße", "avenue", "road", "rue", "calle", "via", "viale", "vicolo", "piazza", "strada", "ulica", "aleja", "rua",
        "travessa", "estrada", "laan", "straat", "gatan", "vägen", "allee", "weg", "platz", "gasse", "ring", "impasse", "chemin", "allée",
        "quai", "boulevard", "place", "cours", "passage", "carrer", "camino", "paseo", "avenida", "plaza", "track", "parade", "close", "crescent",
        "drive", "court", "lane", "square", "terrace", "gardens", "grove", "mews", "row", "walk", "view", "way", "hill", "park", "green",
        "fall", "falls", "loop", "bridge", "well", "wells", "sokak", "sokağı", "cadde", "caddesi", "katu", "tie", "polku", "kuja", "tien", "đường", "phố", "stradă", "bulevardul", "ulitsa",
    ];

    /// <summary>
    /// A city: leaked if the whole name comes out, or any part of it that is not a generic place word ("North", "Port",
    /// "Lake", "Saint"), which alone names no place.
    /// </summary>
    private PlantedIdentifier City(Faker faker)
    {
        var city = faker.Address.City();
        var (rendering, text) = Pick(("as written", city), ("lower case", city.ToLowerInvariant()), ("upper case", city.ToUpperInvariant()));
        var needles = new List<Needle> { Needle.Word(city) };
        needles.AddRange(Parts(city).Where(p => p.Length >= 4 && !s_placeWords.Contains(p.ToLowerInvariant())).Select(Needle.Word));
        return new(IdentifierKind.City, rendering, text, PlantedIdentifier.Slugify(city), needles);
    }

    private static readonly HashSet<string> s_placeWords =
    [
        "north", "south", "east", "west", "northern", "southern", "eastern", "western", "port", "lake", "lakes", "mount", "fort", "saint", "sankt",
        "new", "old", "city", "town", "ville", "village", "beach", "river", "springs", "spring", "falls", "park", "valley", "heights", "hills",
        "hill", "creek", "bay", "point", "island", "isle", "grove", "center", "centre", "long", "great", "little", "upper", "lower", "bad", "den",
        "haven", "land", "burg", "berg", "borough", "field", "fields", "wood", "woods", "view", "mouth", "side", "stad", "dorf", "furt", "bruck",
        "feld", "heim", "hausen", "haus", "stein", "brook", "ford", "glen", "dale", "vale", "gate", "bridge", "market", "royal", "grand", "line", "nord", "sud", "est", "ouest",
    ];

    private PlantedIdentifier Zip(Faker faker)
    {
        var local = faker.Address.ZipCode();
        var us = _en.Address.ZipCode("#####");
        var (rendering, text) = Pick(("US ZIP", us), ("ZIP+4", $"{us}-{_random.Next(1000, 9999)}"), ("the locale's postal code", local));
        var digits = Needle.OnlyDigits(text);
        IReadOnlyList<Needle> needles = text.Any(char.IsAsciiLetter)
            ? [Needle.Substring(text), Needle.Substring(text.Replace(" ", string.Empty, StringComparison.Ordinal))]
            : [Needle.Digits(digits.Length >= 5 ? digits[..5] : digits)];
        return new(IdentifierKind.Zip, rendering, text, PlantedIdentifier.Slugify(text), needles);
    }

    private PlantedIdentifier RecordNumber()
    {
        var letters = new string([.. Enumerable.Range(0, _random.Next(1, 3)).Select(_ => (char)('A' + _random.Next(26)))]);
        var digits = _random.Next(10000, 99999999).ToString(CultureInfo.InvariantCulture);
        var code = _random.Next(3) switch { 0 => $"{letters}-{digits}", 1 => $"{letters}{digits}", _ => $"{letters}{digits[..3]}-{digits[3..]}" };
        var (rendering, text) = Pick(
            ("chart A-12345", $"chart {code}"),
            ("MRN code", $"MRN {code}"),
            ("member id", $"member id {code}"),
            ("policy #", $"policy #{code}"),
            ("bare code", code),
            ("account no.", $"acct no. {code}"),
            ("license", $"license {code}"));
        return new(IdentifierKind.RecordNumber, rendering, text, PlantedIdentifier.Slugify(code),
            [Needle.Substring(code), Needle.Digits(digits), Needle.Substring(letters + digits)]);
    }

    private PlantedIdentifier PersonalUrl(Faker faker)
    {
        var (first, last) = PersonName(faker);
        var a = PlantedIdentifier.Slugify(Ascii(first));
        var b = PlantedIdentifier.Slugify(Ascii(last));
        var (rendering, text) = Pick(
            ("personal domain", $"https://{a}-{b}.example.org/"),
            ("social profile", $"https://www.facebook.com/{a}.{b}"),
            ("portal link with a patient path", $"https://portal.example.com/patients/{a}-{b}/chart"),
            ("bare host", $"www.{a}{b}.net"));
        return new(IdentifierKind.Url, rendering, text, PlantedIdentifier.Slugify($"{a} {b}"), [Needle.Word(a), Needle.Word(b)]);
    }

    private PlantedIdentifier Ip()
    {
        var v4 = $"{_random.Next(1, 224)}.{_random.Next(0, 256)}.{_random.Next(0, 256)}.{_random.Next(1, 255)}";
        var v6 = $"2001:db8:{_random.Next(0, 65536):x}:{_random.Next(0, 65536):x}::{_random.Next(1, 65536):x}";
        var (rendering, text) = Pick(("IPv4", v4), ("IPv6", v6));
        var needles = new List<Needle> { Needle.Substring(text) };
        if (text == v4)
        {
            needles.Add(Needle.Substring(v4[..(v4.LastIndexOf('.') + 1)]));
        }

        return new(IdentifierKind.Ip, rendering, text, PlantedIdentifier.Slugify(text), needles);
    }

    private PlantedIdentifier DeviceId()
    {
        var guid = new Guid([.. Enumerable.Range(0, 16).Select(_ => (byte)_random.Next(256))]);
        var serial = "SN" + Convert.ToHexString(BitConverter.GetBytes(_random.NextInt64()));
        var (rendering, text) = Pick(("UUID", guid.ToString()), ("IDFA (upper case)", guid.ToString().ToUpperInvariant()), ("serial number", serial));
        var needles = text == serial
            ? new List<Needle> { Needle.Substring(serial), Needle.Substring(serial[2..10]) }
            : [Needle.Substring(guid.ToString()), Needle.Substring(guid.ToString()[..8])];
        return new(IdentifierKind.DeviceId, rendering, text, PlantedIdentifier.Slugify(text), needles);
    }

    private PlantedIdentifier Vehicle()
    {
        var vin = _en.Vehicle.Vin();
        return new(IdentifierKind.VehicleId, "VIN", vin, PlantedIdentifier.Slugify(vin), [Needle.Substring(vin), Needle.Substring(vin[^8..])]);
    }

    private PlantedIdentifier Card()
    {
        var card = _en.Finance.CreditCardNumber();
        var digits = Needle.OnlyDigits(card);
        var (rendering, text) = Pick(("as issued", card), ("digits only", digits), ("groups of four", Group(digits, 4, 4, 4) + (digits.Length > 12 ? " " + digits[12..] : string.Empty)));
        return new(IdentifierKind.CardNumber, rendering, text, PlantedIdentifier.Slugify(text), [Needle.Digits(digits)]);
    }

    private (string Rendering, string Text) Pick(params (string Rendering, string Text)[] options) => options[_random.Next(options.Length)];

    /// <summary>The words of a name or address, split on spaces, hyphens, dots and underscores, at least three letters each.</summary>
    public static IEnumerable<string> Parts(string text) =>
        text.Split([' ', '-', '.', '_', '\'', ','], StringSplitOptions.RemoveEmptyEntries)
            .Select(p => new string([.. p.Where(char.IsLetter)]))
            .Where(p => p.Length >= 3)
            .Distinct(StringComparer.OrdinalIgnoreCase);

    private string Invisible(string text)
    {
        var at = _random.Next(1, Math.Max(2, text.Length - 1));
        var mark = _random.Next(3) switch { 0 => "\u200B", 1 => "\u00AD", _ => "\u2060" };
        return text[..at] + mark + text[at..];
    }

    private static string FullWidth(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(c is > ' ' and <= '~' ? (char)(c - 0x21 + 0xFF01) : c);
        }

        return builder.ToString();
    }

    private static string Group(string digits, params int[] sizes)
    {
        var builder = new StringBuilder();
        var at = 0;
        foreach (var size in sizes)
        {
            if (at >= digits.Length)
            {
                break;
            }

            var take = Math.Min(size, digits.Length - at);
            builder.Append(builder.Length > 0 ? " " : string.Empty).Append(digits, at, take);
            at += take;
        }

        if (at < digits.Length)
        {
            builder.Append(digits, at, digits.Length - at);
        }

        return builder.ToString();
    }

    /// <summary>A name without accents, as email providers make them; a name in another script is drawn again from en_US.</summary>
    private string Ascii(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var ascii = new string([.. decomposed.Where(c => char.IsAscii(c) && (char.IsLetterOrDigit(c) || c == '-'))]);
        return ascii.Length >= 3 ? ascii : _en.Name.LastName();
    }
}
