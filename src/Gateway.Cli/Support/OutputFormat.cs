using System.CommandLine;

namespace Gateway.Cli.Support;

/// <summary>The <c>--format</c> option: a readable table for people, CSV and JSON for records and scripts.</summary>
internal static class OutputFormat
{
    public const string Table = "table";
    public const string Csv = "csv";
    public const string Json = "json";

    public static Option<string> Create(params string[] formats)
    {
        var option = new Option<string>("--format")
        {
            Description = $"Output format: {string.Join(", ", formats)}.",
            DefaultValueFactory = _ => formats[0],
        };
        option.AcceptOnlyFromAmong(formats);
        return option;
    }
}
