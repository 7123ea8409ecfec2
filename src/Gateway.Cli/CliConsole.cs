using Spectre.Console;

namespace Gateway.Cli;

/// <summary>
/// Where a command writes and reads: standard streams in the tool, string writers in tests. Tables and
/// progress go through Spectre.Console; progress bars only when standard output is a terminal.
/// </summary>
internal sealed class CliConsole
{
    public CliConsole(TextWriter output, TextWriter error, TextReader input, bool isTerminal)
    {
        Out = output;
        Error = error;
        In = input;
        IsTerminal = isTerminal;
        Ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = isTerminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!isTerminal)
        {
            // Redirected output is read by people in files and by scripts: do not wrap tables at 80 columns.
            Ansi.Profile.Width = 240;
        }
    }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    public TextReader In { get; }

    /// <summary>True when standard output is an interactive terminal (progress bars, colours).</summary>
    public bool IsTerminal { get; }

    public IAnsiConsole Ansi { get; }

    public static CliConsole FromSystem() =>
        new(Console.Out, Console.Error, Console.In, !Console.IsOutputRedirected && !Console.IsErrorRedirected);
}
