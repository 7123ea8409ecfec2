using System.Text;
using System.Text.RegularExpressions;

namespace Gateway.Compliance.Generalization;

/// <summary>What part of a URL to keep.</summary>
public enum UrlPart
{
    /// <summary>Scheme, host and path; never the query, fragment or user info.</summary>
    OriginAndPath,

    /// <summary>Scheme and host only (e.g. for referrers).</summary>
    Origin,

    /// <summary>The path only.</summary>
    Path,
}

/// <summary>
/// Strips a URL of its query string, fragment and user info, and replaces path segments that look like
/// identifiers (numbers, UUIDs, emails, long tokens, or anything a policy marks sensitive) with
/// <c>:redacted</c>. URLs are a Safe Harbor identifier; what remains is a page, not a person.
/// </summary>
public sealed partial class UrlGeneralizer
{
    /// <summary>What replaces a sensitive path segment.</summary>
    public const string RedactedSegment = ":redacted";

    private readonly Regex[] _sensitive;
    private readonly UrlPart _part;

    public UrlGeneralizer(UrlPart part, IEnumerable<Regex> sensitiveSegments)
    {
        _part = part;
        _sensitive = [.. sensitiveSegments];
    }

    public bool TryGeneralize(string value, out string result)
    {
        result = string.Empty;
        var text = value.Trim();
        if (text.Length == 0)
        {
            return false;
        }

        string origin;
        string path;
        if (text.StartsWith('/') && !text.StartsWith("//", StringComparison.Ordinal))
        {
            origin = string.Empty;
            path = text;
        }
        else if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            origin = uri.IsDefaultPort ? $"{uri.Scheme}://{uri.Host}" : $"{uri.Scheme}://{uri.Host}:{uri.Port}";
            path = uri.AbsolutePath;
        }
        else
        {
            return false;
        }

        var cut = path.AsSpan().IndexOfAny('?', '#');
        var kept = cut >= 0 ? path.AsSpan(0, cut) : path.AsSpan();

        if (_part == UrlPart.Origin)
        {
            if (origin.Length == 0)
            {
                return false;
            }

            result = origin;
            return true;
        }

        result = CleanPath(_part == UrlPart.Path ? string.Empty : origin, kept);
        return true;
    }

    /// <summary>
    /// <paramref name="prefix"/> followed by <paramref name="path"/> with every sensitive segment replaced, built in
    /// one buffer (a segment is judged on its unescaped text and kept as written).
    /// </summary>
    private string CleanPath(string prefix, ReadOnlySpan<char> path)
    {
        var capacity = prefix.Length + path.Length + ((path.Count('/') + 1) * RedactedSegment.Length);
        var rented = System.Buffers.ArrayPool<char>.Shared.Rent(capacity);
        try
        {
            var buffer = rented.AsSpan();
            prefix.CopyTo(buffer);
            var length = prefix.Length;
            var rest = path;
            while (true)
            {
                var slash = rest.IndexOf('/');
                var segment = slash < 0 ? rest : rest[..slash];
                var sensitive = segment.Contains('%')
                    ? Uri.UnescapeDataString(segment) is { Length: > 0 } unescaped && IsSensitive(unescaped)
                    : segment.Length > 0 && IsSensitive(segment);
                var written = sensitive ? RedactedSegment.AsSpan() : segment;
                written.CopyTo(buffer[length..]);
                length += written.Length;
                if (slash < 0)
                {
                    break;
                }

                buffer[length++] = '/';
                rest = rest[(slash + 1)..];
            }

            return new string(buffer[..length]);
        }
        finally
        {
            System.Buffers.ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>A segment is sensitive when a pattern matches it, or when a pattern timed out on it (fail closed).</summary>
    private bool IsSensitive(ReadOnlySpan<char> segment)
    {
        try
        {
            if (DefaultSensitiveSegment().IsMatch(segment))
            {
                return true;
            }

            foreach (var regex in _sensitive)
            {
                if (regex.IsMatch(segment))
                {
                    return true;
                }
            }

            return false;
        }
        catch (RegexMatchTimeoutException)
        {
            return true;
        }
    }

    /// <summary>Digit runs of 3+, UUIDs, anything with '@', long hex or base64-like tokens.</summary>
    [GeneratedRegex(@"\d{3,}|^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$|@|^[A-Za-z0-9_\-]{20,}$|^[0-9a-fA-F]{12,}$", RegexOptions.CultureInvariant, 100)]
    private static partial Regex DefaultSensitiveSegment();
}
