#:package Bogus@35.6.5
#:property ManagePackageVersionsCentrally=false
#:property TreatWarningsAsErrors=false
#:property PublishAot=false

// Builds the word lists embedded in Gateway.Compliance (src/Gateway.Compliance/Text/Vocabulary): run through
// scripts/vocabulary/build.sh, which fetches SCOWL. See src/Gateway.Compliance/Text/Vocabulary/README.md.
//   english-words.txt: English words (SCOWL size 50 and below, plus extra-words.txt) that are not person or place names,
//                      except the most common words (SCOWL 10 and 20), which stay even when they are names too.
//   name-words.txt:    the words of english-words.txt that are also person or place names ("rose", "hunter",
//                      "white"): free text treats them as names next to another name.
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Bogus;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: BuildVocabulary.cs <scowl-final-folder> <output-folder>");
    return 2;
}

var scowl = args[0];
var output = args[1];
var latin1 = Encoding.Latin1;

static string Fold(string s) => s.Normalize(NormalizationForm.FormKC).ToLowerInvariant();

IEnumerable<string> Read(string pattern) =>
    Directory.EnumerateFiles(scowl, pattern).SelectMany(f => File.ReadAllLines(f, latin1)).Select(l => l.Trim()).Where(l => l.Length > 0);

var wordPattern = new Regex("^[a-z]+(?:'[a-z]+)?$");
IEnumerable<string> Words(params string[] levels) =>
    levels.SelectMany(level => Read($"english-words.{level}").Concat(Read($"american-words.{level}")).Concat(Read($"english-contractions.{level}")))
        .Where(w => wordPattern.IsMatch(w) && !w.EndsWith("'s", StringComparison.Ordinal));

var common = Words("10", "20").ToHashSet(StringComparer.Ordinal);
var candidates = Words("10", "20", "35", "40", "50").ToHashSet(StringComparer.Ordinal);
foreach (var extra in File.ReadAllLines(Path.Combine(output, "extra-words.txt")).Where(l => l.Length > 0 && !l.StartsWith('#')))
{
    candidates.Add(extra);
}

var names = new HashSet<string>(StringComparer.Ordinal);
void AddName(string name)
{
    foreach (var part in Fold(name).Split([' ', '-', '\'', '.', ','], StringSplitOptions.RemoveEmptyEntries))
    {
        if (part.Length > 2 && part.All(char.IsLetter))
        {
            names.Add(part);
        }
    }
}

// SCOWL's proper names up to size 70 (larger sizes split titles such as "Good Morning America" into words), one word each.
foreach (var level in new[] { "10", "20", "35", "40", "50", "55", "60", "70" })
{
    foreach (var line in Read($"english-proper-names.{level}").Concat(Read($"american-proper-names.{level}")))
    {
        if (!line.Contains(' ', StringComparison.Ordinal))
        {
            AddName(line);
        }
    }
}

// Person names, and the city names Bogus knows (places below the state are identifiers too).
(string Category, string Key)[] nameKeys =
[
    ("name", "first_name"), ("name", "male_first_name"), ("name", "female_first_name"), ("name", "last_name"), ("name", "male_last_name"),
    ("name", "female_last_name"), ("name", "middle_name"), ("name", "male_middle_name"), ("name", "female_middle_name"), ("address", "city_name"),
    ("address", "city"), ("address", "city_prefix"), ("address", "street_root"), ("address", "street_name"), ("address", "county"),
];
foreach (var locale in Database.GetAllLocales().Where(l => l != "en_BORK"))
{
    foreach (var (category, key) in nameKeys)
    {
        if (Database.HasKey(category, key, locale, null) && Database.Get(category, key, locale) is Bogus.Bson.BArray array)
        {
            foreach (Bogus.Bson.BValue value in array)
            {
                // Some locales list formats ("{{name.first_name}}ville") where others list names.
                if (!value.StringValue.Contains("{{", StringComparison.Ordinal))
                {
                    AddName(value.StringValue);
                }
            }
        }
    }
}

// A month named without a day is still an element of a date (Safe Harbor); "may" and "march" stay as verbs.
string[] months = ["january", "february", "april", "june", "july", "august", "september", "october", "november", "december"];
var vocabulary = candidates.Where(w => (!names.Contains(w) || common.Contains(w)) && !months.Contains(w) && (w.Length > 1 || w is "a")).ToHashSet(StringComparer.Ordinal);
foreach (var pronoun in new[] { "i", "i'm", "i've", "i'll", "i'd" })
{
    vocabulary.Add(pronoun);
}

// Words that glue sentences together (function-words.txt, written by hand) are never taken for a name, whatever a name list says ("Will", "May", "Son").
string[] function = [.. File.ReadAllLines(Path.Combine(output, "function-words.txt")).Where(l => l.Length > 0)];
var nameWords = vocabulary.Where(w => names.Contains(w) && !function.Contains(w)).ToList();
Directory.CreateDirectory(output);
File.WriteAllLines(Path.Combine(output, "english-words.txt"), vocabulary.Order(StringComparer.Ordinal));
File.WriteAllLines(Path.Combine(output, "name-words.txt"), nameWords.Order(StringComparer.Ordinal));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{candidates.Count} candidate words, {names.Count} name words known, {vocabulary.Count} in english-words.txt, {nameWords.Count} in name-words.txt"));
return 0;
