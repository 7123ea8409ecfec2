using System.Security.Cryptography;
using System.Text;

namespace Pms.Connectors.Events;

/// <summary>
/// Message ids from a source record's identity and version: the same record at the same version always gives the same
/// id (a re-poll or re-import is a duplicate the scoring service drops), a new version a new one. The id is a SHA-256
/// of the parts, so the PMS's record numbers do not appear in it (the gateway also replaces it by a keyed pseudonym).
/// </summary>
public static class MessageIds
{
    public static string From(string system, string kind, string recordId, string version)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', system, kind, recordId, version)));
        return "pms-" + Convert.ToBase64String(bytes, 0, 18).Replace('+', '-').Replace('/', '_');
    }
}
