using System.CommandLine;

namespace Gateway.Cli.Support;

/// <summary>The audit folder arguments every audit command takes: one or more, each of which must exist.</summary>
internal static class AuditFolders
{
    public static Argument<string[]> Argument() => new("audit-dir")
    {
        Description = "Audit folder(s) of one or more gateway instances.",
        Arity = ArgumentArity.OneOrMore,
    };

    public static string[] Get(ParseResult parse, Argument<string[]> argument)
    {
        var folders = parse.GetValue(argument) ?? [];
        foreach (var folder in folders)
        {
            if (!Directory.Exists(folder))
            {
                throw new UsageException($"The audit folder '{folder}' does not exist.");
            }
        }

        return folders;
    }
}
