namespace Scoring.Engine.Configuration;

/// <summary>Where something is in a vertical's folder: file (relative), line and column (1-based; 0 when unknown).</summary>
public sealed record SourceLocation(string File, int Line, int Column)
{
    public static SourceLocation Unknown { get; } = new(string.Empty, 0, 0);

    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}" : File;
}
