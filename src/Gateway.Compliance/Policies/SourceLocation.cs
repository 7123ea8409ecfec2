namespace Gateway.Compliance.Policies;

/// <summary>Where something is in a policy folder: file (relative), line and column (1-based; 0 when unknown).</summary>
public sealed record SourceLocation(string File, int Line, int Column)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}" : File;
}
