namespace Pms.Connectors;

/// <summary>Settings a connector cannot run with: every problem, none quoting a secret or a record's value.</summary>
public sealed class ConnectorConfigurationException(IReadOnlyList<string> problems)
    : Exception(string.Join("; ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
