using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using Gateway.Server.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Server.Admin;

/// <summary>Admin keys by SHA-256: a name and a role. The keys themselves are never stored.</summary>
internal sealed class AdminKeyDirectory(IOptions<GatewayOptions> options)
{
    private readonly FrozenDictionary<string, AdminIdentity> _keys = options.Value.Admin.Keys
        .ToFrozenDictionary(k => k.Sha256, k => new AdminIdentity(k.Name, k.Role), StringComparer.Ordinal);

    public bool TryAuthenticate(string key, out AdminIdentity identity)
    {
        identity = null!;
        if (key.Length is 0 or > 512)
        {
            return false;
        }

        return _keys.TryGetValue(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))), out identity!);
    }
}

/// <summary>Who called the admin API: the key's configured name and its role.</summary>
internal sealed record AdminIdentity(string Name, string Role)
{
    public const string AdminRole = "admin";
    public const string ComplianceRole = "compliance";

    /// <summary>admin may do everything; compliance may only read.</summary>
    public bool Satisfies(string required) => Role == AdminRole || Role == required;
}

/// <summary>Endpoint metadata: the role an admin endpoint needs.</summary>
internal sealed record AdminRoleRequirement(string Role);
