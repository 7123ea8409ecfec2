namespace Gateway.Compliance.Policies;

/// <summary>Thrown when a policy folder cannot be used; carries every error found, not just the first.</summary>
public sealed class PolicyLoadException : Exception
{
    public PolicyLoadException(string directory, IReadOnlyList<PolicyError> errors)
        : base(FormatMessage(directory, errors))
    {
        Directory = directory;
        Errors = errors;
    }

    public string Directory { get; }

    public IReadOnlyList<PolicyError> Errors { get; }

    private static string FormatMessage(string directory, IReadOnlyList<PolicyError> errors) =>
        $"The policy in '{directory}' has {errors.Count} error(s):{Environment.NewLine}  "
        + string.Join(Environment.NewLine + "  ", errors);
}
