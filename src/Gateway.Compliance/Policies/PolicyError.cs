namespace Gateway.Compliance.Policies;

/// <summary>
/// One problem found while loading a policy: file, line, the path inside the policy, and what is wrong.
/// Loading reports every error at once; any error means the policy is not used.
/// </summary>
public sealed record PolicyError(SourceLocation Location, string Path, string Message)
{
    public override string ToString() =>
        string.IsNullOrEmpty(Path) ? $"{Location}: {Message}" : $"{Location}: {Path}: {Message}";
}
