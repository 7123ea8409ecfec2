namespace Pms.Connectors.Exports;

/// <summary>A row that failed a check: its number (1 = the first data row), the export's column name, and the rule. Never the value.</summary>
public sealed record RowError(int Row, string Column, string Rule)
{
    public override string ToString() => $"row {Row}, column '{Column}': {Rule}";
}
