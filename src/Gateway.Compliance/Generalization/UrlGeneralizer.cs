using System.Collections.Frozen;
using System.Net;
using System.Text;
using Gateway.Compliance.Practices;

namespace Gateway.Compliance.Generalization;

/// <summary>What part of a URL to keep.</summary>
public enum UrlPart
{
    /// <summary>Scheme, host and path; never the query, fragment, user info, port or matrix parameters.</summary>
    OriginAndPath,

    /// <summary>Scheme and host only (e.g. for referrers).</summary>
    Origin,

    /// <summary>The path only.</summary>
    Path,
}

/// <summary>
/// Generalizes a URL by allow-list (URLs are a Safe Harbor identifier): the query string, fragment, user info, port
/// and matrix parameters always go; the host stays only if it is one of the practice's domains (or their <c>www.</c>
/// form) or a host the policy names, else it becomes <c>:host</c> (an IP address always does); the path keeps its
/// longest prefix that one of the policy's <see cref="UrlTemplateSet"/> templates matches, and the rest becomes one
/// <c>:redacted</c>. Each segment is percent-decoded until it no longer changes before it is matched, and is written
/// as the template writes it, so no spelling of the client's goes through.
/// </summary>
public sealed class UrlGeneralizer
{
    /// <summary>What replaces the unmatched rest of a path.</summary>
    public const string RedactedSegment = ":redacted";

    /// <summary>What replaces a host that is not allowed.</summary>
    public const string RedactedHost = ":host";

    /// <summary>Longest URL considered (longer ones are not generalized, so the field is dropped).</summary>
    public const int MaxLength = 8192;

    private const int MaxDecodings = 4;

    private readonly UrlPart _part;
    private readonly UrlTemplateSet _templates;
    private readonly FrozenSet<string> _hosts;

    public UrlGeneralizer(UrlPart part, UrlTemplateSet templates, FrozenSet<string> hosts)
    {
        _part = part;
        _templates = templates;
        _hosts = hosts;
    }

    public bool TryGeneralize(string value, PracticeContext practice, out string result)
    {
        result = string.Empty;
        var text = value.Trim().Replace('\\', '/');
        if (text.Length == 0 || text.Length > MaxLength)
        {
            return false;
        }

        string? origin = null;
        string path;
        if (text.StartsWith('/') && !text.StartsWith("//", StringComparison.Ordinal))
        {
            path = text;
        }
        else if (TrySplitAbsolute(text, practice, out origin, out path))
        {
        }
        else
        {
            return false;
        }

        if (_part == UrlPart.Origin)
        {
            if (origin is null)
            {
                return false;
            }

            result = origin;
            return true;
        }

        var builder = new StringBuilder(path.Length + 16);
        if (_part == UrlPart.OriginAndPath && origin is not null)
        {
            builder.Append(origin);
        }

        var start = builder.Length;
        AppendPath(path, practice, builder);
        if (builder.Length == start)
        {
            builder.Append('/');
        }

        result = builder.ToString();
        return true;
    }

    /// <summary>Splits <c>scheme://authority/path</c> (http and https only) into the generalized origin and the raw path.</summary>
    private bool TrySplitAbsolute(string text, PracticeContext practice, out string? origin, out string path)
    {
        origin = null;
        path = "/";
        var separator = text.IndexOf("://", StringComparison.Ordinal);
        if (separator <= 0)
        {
            return false;
        }

        var scheme = text[..separator].ToLowerInvariant();
        if (scheme is not ("http" or "https"))
        {
            return false;
        }

        var rest = text.AsSpan(separator + 3);
        var end = rest.IndexOfAny('/', '?', '#');
        var authority = end < 0 ? rest : rest[..end];
        var remainder = end < 0 ? ReadOnlySpan<char>.Empty : rest[end..];

        // User info never goes; nor does the port.
        var at = authority.LastIndexOf('@');
        var hostAndPort = at >= 0 ? authority[(at + 1)..] : authority;
        var host = HostOf(hostAndPort);
        origin = $"{scheme}://{(IsAllowedHost(host, practice) ? host : RedactedHost)}";
        path = remainder.Length > 0 && remainder[0] == '/' ? remainder.ToString() : "/";
        return true;
    }

    private static string HostOf(ReadOnlySpan<char> hostAndPort)
    {
        if (hostAndPort.StartsWith('['))
        {
            // An IPv6 literal: never allowed, whatever it is.
            return string.Empty;
        }

        var colon = hostAndPort.LastIndexOf(':');
        var host = colon >= 0 ? hostAndPort[..colon] : hostAndPort;
        return PracticeContext.NormalizeHost(host.ToString());
    }

    private bool IsAllowedHost(string host, PracticeContext practice) =>
        host.Length > 0 && !IsAddressLiteral(host) && !host.Contains('%', StringComparison.Ordinal)
        && (practice.OwnsHost(host) || _hosts.Contains(host));

    /// <summary>IPv4 in any form a browser accepts (dotted, decimal, hex, octal) or any text that parses as an address.</summary>
    public static bool IsAddressLiteral(string host) =>
        host.All(c => char.IsAsciiDigit(c) || c == '.')
        || host.StartsWith("0x", StringComparison.Ordinal)
        || IPAddress.TryParse(host, out _);

    private void AppendPath(string path, PracticeContext practice, StringBuilder builder)
    {
        var cut = path.AsSpan().IndexOfAny('?', '#');
        var kept = cut >= 0 ? path[..cut] : path;
        var raw = kept.Split('/');
        var trailingSlash = raw.Length > 1 && raw[^1].Length == 0;
        var count = trailingSlash ? raw.Length - 2 : raw.Length - 1;
        var segments = new string?[Math.Max(0, count)];
        for (var i = 0; i < segments.Length; i++)
        {
            segments[i] = Decode(raw[i + 1]);
        }

        _templates.Match(segments, trailingSlash, practice, builder);
    }

    /// <summary>The segment without matrix parameters, percent-decoded until it no longer changes; null if that takes too many rounds or leaves an empty segment.</summary>
    internal static string? Decode(string segment)
    {
        var semicolon = segment.IndexOf(';', StringComparison.Ordinal);
        var text = semicolon >= 0 ? segment[..semicolon] : segment;
        for (var round = 0; round <= MaxDecodings; round++)
        {
            if (!text.Contains('%', StringComparison.Ordinal))
            {
                text = Gateway.Compliance.Text.TextNormalization.Normalize(text);
                return text.Length == 0 || text.Contains(';', StringComparison.Ordinal) ? null : text;
            }

            var decoded = Uri.UnescapeDataString(text);
            if (decoded == text)
            {
                // A '%' that is not an escape: no template segment has one.
                return null;
            }

            text = decoded;
            semicolon = text.IndexOf(';', StringComparison.Ordinal);
            if (semicolon >= 0)
            {
                text = text[..semicolon];
            }
        }

        return null;
    }
}
