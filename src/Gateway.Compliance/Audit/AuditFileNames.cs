using System.Globalization;
using System.Text.RegularExpressions;

namespace Gateway.Compliance.Audit;

/// <summary>
/// Audit files are named <c>audit-{instance}-{firstSeq:D12}.jsonl</c>: one chain per instance, and
/// files sort by the first sequence number they hold, so a missing file shows as a gap in the chain. A sealed file
/// may be compressed to <c>.jsonl.zst</c> (<see cref="AuditSegmentCompression"/>); while both forms exist, the plain one counts.
/// </summary>
public static partial class AuditFileNames
{
    public const string Extension = ".jsonl";

    public const string CompressedExtension = ".jsonl.zst";

    public static string For(string instance, long firstSeq) =>
        $"audit-{instance}-{firstSeq.ToString("D12", CultureInfo.InvariantCulture)}{Extension}";

    /// <summary>Parses a file name; false for files that are not audit files.</summary>
    public static bool TryParse(string fileName, out string instance, out long firstSeq)
    {
        var match = Pattern().Match(fileName);
        if (!match.Success)
        {
            instance = string.Empty;
            firstSeq = 0;
            return false;
        }

        instance = match.Groups["instance"].Value;
        firstSeq = long.Parse(match.Groups["seq"].Value, CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>Every audit file in <paramref name="directory"/>, grouped by instance, each group in chain order.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<(string Path, long FirstSeq)>> Find(string directory)
    {
        var result = new SortedDictionary<string, List<(string, long)>>(StringComparer.Ordinal);
        if (!Directory.Exists(directory))
        {
            return new Dictionary<string, IReadOnlyList<(string, long)>>();
        }

        foreach (var path in Directory.EnumerateFiles(directory, "audit-*" + Extension + "*"))
        {
            if (TryParse(Path.GetFileName(path), out var instance, out var firstSeq))
            {
                if (!result.TryGetValue(instance, out var list))
                {
                    result[instance] = list = [];
                }

                // A crash between writing a compressed copy and removing the original leaves both: the original counts.
                var twin = list.FindIndex(f => f.Item2 == firstSeq);
                if (twin < 0)
                {
                    list.Add((path, firstSeq));
                }
                else if (!path.EndsWith(CompressedExtension, StringComparison.Ordinal))
                {
                    list[twin] = (path, firstSeq);
                }
            }
        }

        return result.ToDictionary(
            kv => kv.Key,
            kv => (IReadOnlyList<(string, long)>)[.. kv.Value.OrderBy(f => f.Item2)],
            StringComparer.Ordinal);
    }

    /// <summary>Instance ids are 1-40 characters of [A-Za-z0-9_-]: safe in file names and records.</summary>
    public static bool IsValidInstanceId(string instance) => InstancePattern().IsMatch(instance);

    [GeneratedRegex(@"^audit-(?<instance>[A-Za-z0-9_\-]{1,40})-(?<seq>\d{12})\.jsonl(\.zst)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    [GeneratedRegex(@"^[A-Za-z0-9_\-]{1,40}$", RegexOptions.CultureInvariant)]
    private static partial Regex InstancePattern();
}
