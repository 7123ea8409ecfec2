using System.Net;
using System.Net.Sockets;

namespace Gateway.Compliance.Generalization;

/// <summary>Truncates IPv4 addresses to /24 and IPv6 to /48. The result is still PHI: an IP is a Safe Harbor identifier.</summary>
public static class IpTruncation
{
    public static bool TryTruncate(ReadOnlySpan<char> value, out string truncated)
    {
        truncated = string.Empty;
        if (!IPAddress.TryParse(value.Trim(), out var ip))
        {
            return false;
        }

        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        var bytes = ip.GetAddressBytes();
        var keep = ip.AddressFamily == AddressFamily.InterNetwork ? 3 : 6;
        for (var i = keep; i < bytes.Length; i++)
        {
            bytes[i] = 0;
        }

        truncated = new IPAddress(bytes).ToString();
        return true;
    }
}
