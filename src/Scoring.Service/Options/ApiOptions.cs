namespace Scoring.Service.Options;

/// <summary>
/// API keys of the clients (marketing and intake tools) allowed to read leads and record stage changes: key
/// name → lower-case hex SHA-256 of the key. The name is recorded with every stage change a client makes.
/// </summary>
internal sealed class ApiOptions
{
    public const string Section = "Api";

    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.Ordinal);
}
