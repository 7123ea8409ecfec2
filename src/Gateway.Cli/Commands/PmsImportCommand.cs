using System.CommandLine;
using Gateway.Cli.Support;
using Pms.Connectors;
using Pms.Connectors.Delivery;
using Pms.Connectors.Exports;

namespace Gateway.Cli.Commands;

/// <summary>
/// <c>pms import</c>: imports Dentrix or Eaglesoft CSV exports, one file, every <c>*.csv</c> in a folder, or (with
/// <c>--watch</c>) every file that lands in a folder until stopped. Each file goes to the processed folder with a report
/// (counts, row errors by row number and column) or to the failed folder. Exit 1 when a file failed or the gateway
/// could not be reached (the file stays where it was and the next import resumes it).
/// </summary>
internal static class PmsImportCommand
{
    public static Command Build(CliConsole console)
    {
        var shared = new PmsOptions();
        var path = new Argument<string>("path") { Description = "An export file (CSV) or a folder of them." };
        var system = new Option<string>("--system") { Description = "dentrix or eaglesoft: picks the shipped mappings (recall or appointments by the header).", Required = true };
        var mapping = new Option<string[]>("--mapping") { Description = "A mapping file to use instead of the shipped ones (repeatable; pms/mappings/*.json shows the format).", AllowMultipleArgumentsPerToken = true };
        var locations = new Option<string[]>("--location") { Description = "Export location name=location-id (repeatable), e.g. \"Back Bay=back-bay\".", AllowMultipleArgumentsPerToken = true };
        var processed = new Option<string?>("--processed") { Description = "Where imported files go (default: processed/ beside them)." };
        var failed = new Option<string?>("--failed") { Description = "Where unreadable files go (default: failed/ beside them)." };
        var watch = new Option<bool>("--watch") { Description = "Keep watching the folder and import each new file once its size stops changing." };
        var interval = new Option<int>("--interval") { Description = "Seconds between looks at a watched folder.", DefaultValueFactory = _ => 10 };
        var command = new Command("import", "Import Dentrix or Eaglesoft recall / appointment exports (CSV) and send them through the gateway.")
        {
            path, system, mapping, locations, processed, failed, watch, interval,
        };
        shared.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var vendor = parse.GetValue(system)!;
            if (vendor is not ("dentrix" or "eaglesoft"))
            {
                throw new UsageException("--system must be dentrix or eaglesoft (Open Dental: 'pms poll')");
            }

            IReadOnlyList<ExportMapping> mappings;
            try
            {
                mappings = parse.GetValue(mapping) is { Length: > 0 } files
                    ? [.. files.Select(ExportMapping.Load)]
                    : [.. ExportMapping.Shipped().Where(m => m.System == vendor)];
            }
            catch (ConnectorConfigurationException ex)
            {
                throw new UsageException(ex.Message);
            }

            var options = new ImportOptions
            {
                Mappings = mappings,
                ProcessedDirectory = parse.GetValue(processed),
                FailedDirectory = parse.GetValue(failed),
                Identity = parse.GetValue(shared.Identity),
                Locations = PmsPollCommand.Pairs(parse.GetValue(locations), "--location"),
            };
            var gateway = shared.GatewayOptions(parse);
            var name = parse.GetValue(shared.Name) ?? vendor;
            var target = parse.GetValue(path)!;
            using var state = PmsOptions.OpenState(parse.GetValue(shared.State)!);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(100) };
            var importer = new ExportImporter(options, new EventDelivery(name, new GatewaySender(http, gateway, TimeProvider.System), state), TimeProvider.System);
            var code = ExitCodes.Success;
            var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
            while (true)
            {
                var files = File.Exists(target) ? [target]
                    : Directory.Exists(target) ? Directory.GetFiles(target, "*.csv").Order(StringComparer.Ordinal).ToArray()
                    : throw new UsageException($"'{target}' is neither a file nor a folder");
                foreach (var file in files)
                {
                    // A watched file is imported once its size is the same on two looks (the export finished writing).
                    var size = new FileInfo(file).Length;
                    if (parse.GetValue(watch) && (!sizes.TryGetValue(file, out var before) || before != size))
                    {
                        sizes[file] = size;
                        continue;
                    }

                    sizes.Remove(file);
                    state.RunStarted(name);
                    try
                    {
                        var report = await importer.ImportAsync(file, cancellationToken);
                        state.RunFinished(name, report.Failed ? "failed: " + string.Join("; ", report.FileErrors) : "completed");
                        await console.Out.WriteAsync(report.ToText());
                        code = report.Failed ? ExitCodes.Failed : code;
                    }
                    catch (GatewayUnavailableException ex)
                    {
                        state.RunFinished(name, "failed: " + ex.Message);
                        await console.Error.WriteLineAsync($"gatewayctl: {Path.GetFileName(file)}: {ex.Message}");
                        code = ExitCodes.Failed;
                        if (!parse.GetValue(watch))
                        {
                            return code;
                        }
                    }
                }

                if (!parse.GetValue(watch))
                {
                    PmsOptions.PrintStatus(console, state.Get(name));
                    return code;
                }

                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(interval))), cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return code;
                }
            }
        });
        return command;
    }
}
