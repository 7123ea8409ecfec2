namespace Pms.Connectors.Exports;

/// <summary>What importing one export file did: counts, row errors (by row and column, never value), and where the file went.</summary>
public sealed record ImportReport(
    string File,
    string? Mapping,
    int RowsRead,
    int RowsSent,
    int RowsAlreadySent,
    int RowsRefused,
    IReadOnlyList<RowError> Errors,
    IReadOnlyList<string> FileErrors,
    string? MovedTo)
{
    /// <summary>At most this many row errors are listed (every one is counted).</summary>
    public const int MaxListedErrors = 1000;

    public bool Failed => FileErrors.Count > 0;

    /// <summary>The report as text: counts, file errors and row errors; written next to the moved file.</summary>
    public string ToText()
    {
        var lines = new List<string>
        {
            $"file: {Path.GetFileName(File)}",
            $"mapping: {Mapping ?? "(none matched)"}",
            $"rows read: {RowsRead}, sent: {RowsSent}, already sent: {RowsAlreadySent}, refused: {RowsRefused}",
        };
        lines.AddRange(FileErrors.Select(e => "file error: " + e));
        lines.AddRange(Errors.Select(e => e.ToString()));
        return string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }
}
