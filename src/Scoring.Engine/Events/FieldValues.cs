namespace Scoring.Engine.Events;

/// <summary>How values are compared: trimmed and lower-cased (invariant), so <c>Implants</c> matches <c>implants</c>.</summary>
public static class FieldValues
{
    public static string Normalize(string value) => value.Trim().ToLowerInvariant();
}
