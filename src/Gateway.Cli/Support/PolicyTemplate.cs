using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace Gateway.Cli.Support;

/// <summary>
/// The policy template (templates/policy, embedded in the tool): a policy file handling every SDK context field,
/// the envelope, identify, page and one track event schema, and fixtures for each, with <c>{{vertical}}</c>
/// replaced by the new vertical's name. The template's own README.md documents it and is not copied.
/// </summary>
internal static partial class PolicyTemplate
{
    private const string Prefix = "template/";

    public static IReadOnlyList<string> Files =>
        [.. typeof(PolicyTemplate).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n != Prefix + "README.md")
            .Select(n => n[Prefix.Length..])
            .Order(StringComparer.Ordinal)];

    public static bool IsValidName(string vertical) => VerticalName().IsMatch(vertical);

    /// <summary>Writes the template into <paramref name="target"/> (which must not exist); returns the files written.</summary>
    public static IReadOnlyList<string> WriteTo(string target, string vertical)
    {
        var written = new List<string>();
        foreach (var relative in Files)
        {
            using var stream = typeof(PolicyTemplate).Assembly.GetManifestResourceStream(Prefix + relative)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var text = reader.ReadToEnd().Replace("{{vertical}}", vertical, StringComparison.Ordinal);
            var path = Path.Combine(target, relative.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text, new UTF8Encoding(false));
            written.Add(relative);
        }

        return written;
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex VerticalName();
}
