using System.Globalization;
using System.Text;

namespace Gateway.LeakBench;

/// <summary>The leak table (identifier kind by field kind), the per-policy totals, the utility figure and example leaks, in Markdown.</summary>
public static class LeakReport
{
    public static string Format(LeakRun run, int seed, int perPolicy, int maxExamples = 40, bool showPlanted = false)
    {
        var builder = new StringBuilder();
        var fields = Enum.GetValues<FieldKind>().Where(f => run.Cells.Keys.Any(k => k.Field == f)).ToList();
        builder.AppendLine(CultureInfo.InvariantCulture, $"Leak benchmark: seed {seed}, {perPolicy} events per policy, {run.Events} events in all; {run.TotalLeaks} leaked an identifier.");
        builder.AppendLine();
        builder.AppendLine(CultureInfo.InvariantCulture, $"Ad destinations: {run.AdBuilt} de-identified conversions built (Meta; Google sends none without an authorization) for the forwarded events they map; {Mark(run.AdLeaked)} held the planted identifier.");
        builder.AppendLine();
        builder.AppendLine("Cells: events that leaked the planted identifier / events forwarded with it (events refused whole are not counted).");
        builder.AppendLine();
        builder.Append("| identifier |");
        foreach (var field in fields)
        {
            builder.Append(' ').Append(Kebab(field.ToString())).Append(" |");
        }

        builder.AppendLine(" all |");
        builder.Append("|---|");
        builder.Append(string.Concat(Enumerable.Repeat("---:|", fields.Count + 1)));
        builder.AppendLine();
        foreach (var kind in Enum.GetValues<IdentifierKind>())
        {
            builder.Append("| ").Append(Kebab(kind.ToString())).Append(" |");
            var leaked = 0;
            var forwarded = 0;
            foreach (var field in fields)
            {
                if (run.Cells.TryGetValue((kind, field), out var cell))
                {
                    builder.Append(CultureInfo.InvariantCulture, $" {Mark(cell.Leaked)}/{cell.Forwarded} |");
                    leaked += cell.Leaked;
                    forwarded += cell.Forwarded;
                }
                else
                {
                    builder.Append(" - |");
                }
            }

            builder.AppendLine(CultureInfo.InvariantCulture, $" {Mark(leaked)}/{forwarded} |");
        }

        builder.Append("| **all** |");
        foreach (var field in fields)
        {
            var cells = run.Cells.Where(c => c.Key.Field == field).Select(c => c.Value).ToList();
            builder.Append(CultureInfo.InvariantCulture, $" {Mark(cells.Sum(c => c.Leaked))}/{cells.Sum(c => c.Forwarded)} |");
        }

        builder.AppendLine(CultureInfo.InvariantCulture, $" {Mark(run.TotalLeaks)}/{run.Cells.Values.Sum(c => c.Forwarded)} |");
        builder.AppendLine();
        builder.AppendLine("| policy | events | leaked |");
        builder.AppendLine("|---|---:|---:|");
        foreach (var (policy, (events, leaks)) in run.PerPolicy)
        {
            builder.AppendLine(CultureInfo.InvariantCulture, $"| {policy} | {events} | {leaks} |");
        }

        builder.AppendLine();
        builder.AppendLine(CultureInfo.InvariantCulture,
            $"Utility: {run.HarmlessKept} of {run.HarmlessPlanted} harmless words written into free-text fields were forwarded ({run.Utility:P1}).");
        if (run.Examples.Count > 0)
        {
            builder.AppendLine();
            builder.AppendLine(CultureInfo.InvariantCulture, $"First {Math.Min(maxExamples, run.Examples.Count)} leaks (synthetic values):");
            builder.AppendLine();
            builder.AppendLine("| policy | event | path | identifier | rendering | placement | found |" + (showPlanted ? " planted | in |" : string.Empty));
            builder.AppendLine("|---|---|---|---|---|---|---|" + (showPlanted ? "---|---|" : string.Empty));
            foreach (var e in Spread(run.Examples, maxExamples))
            {
                var row = $"| {e.Policy} | {e.EventType} | `{e.Path}` | {Kebab(e.Kind.ToString())} | {e.Rendering} | {e.Placement} | `{e.Needle}` |";
                builder.AppendLine(showPlanted ? $"{row} `{e.Planted}` | `{e.FoundIn}` |" : row);
            }
        }

        return builder.ToString();
    }

    /// <summary>Up to <paramref name="max"/> examples, taking one of each (field, kind) cell in turn so one cell does not fill the list.</summary>
    private static IEnumerable<LeakExample> Spread(IReadOnlyList<LeakExample> examples, int max)
    {
        var groups = examples.GroupBy(e => (e.Field, e.Kind)).Select(g => new Queue<LeakExample>(g)).ToList();
        var taken = 0;
        while (taken < max && groups.Any(g => g.Count > 0))
        {
            foreach (var group in groups.Where(g => g.Count > 0))
            {
                if (taken++ >= max)
                {
                    yield break;
                }

                yield return group.Dequeue();
            }
        }
    }

    private static string Mark(int leaked) => leaked == 0 ? "0" : $"**{leaked}**";

    private static string Kebab(string name)
    {
        var builder = new StringBuilder();
        foreach (var c in name)
        {
            if (char.IsUpper(c) && builder.Length > 0)
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }
}
