using System.CommandLine;
using Gateway.Cli.Support;
using Pms.Connectors;
using Pms.Connectors.Delivery;
using Pms.Connectors.OpenDental;

namespace Gateway.Cli.Commands;

/// <summary>
/// <c>pms poll</c>: one incremental poll of an Open Dental office (or one every <c>--every</c> seconds until stopped),
/// resuming from the stored cursors. Exit 0 when the poll completed, 1 when Open Dental or the gateway failed (nothing
/// is lost: the next poll resumes), 2 for unusable settings.
/// </summary>
internal static class PmsPollCommand
{
    public static Command Build(CliConsole console)
    {
        var shared = new PmsOptions();
        var url = new Option<string>("--open-dental-url") { Description = "Open Dental's API base URL (default: the documented cloud endpoint; a local API service on loopback may use http).", DefaultValueFactory = _ => OpenDentalOptions.DefaultBaseUrl.ToString() };
        var developerKey = new Option<string>("--developer-key-file") { Description = "File holding the Open Dental developer key.", Required = true };
        var customerKey = new Option<string>("--customer-key-file") { Description = "File holding the office's Open Dental customer key.", Required = true };
        var clinics = new Option<string[]>("--clinic") { Description = "ClinicNum=location-id (repeatable): the practice's location for each Open Dental clinic.", AllowMultipleArgumentsPerToken = true };
        var timeZone = new Option<string>("--time-zone") { Description = "The office's IANA time zone (Open Dental's timestamps are its local time).", DefaultValueFactory = _ => "UTC" };
        var every = new Option<int?>("--every") { Description = "Poll again every N seconds until stopped (Ctrl+C)." };
        var pageSize = new Option<int>("--page-size") { Description = "Items per request (Open Dental's remote API allows 100, its local API 1000).", DefaultValueFactory = _ => OpenDentalOptions.DefaultPageSize };
        var command = new Command("poll", "Poll Open Dental's API for recalls and appointments changed since the last poll and send them through the gateway.")
        {
            url, developerKey, customerKey, clinics, timeZone, every, pageSize,
        };
        shared.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            OpenDentalOptions options;
            try
            {
                options = new OpenDentalOptions
                {
                    BaseUrl = PmsOptions.Url(parse.GetValue(url)!, "--open-dental-url"),
                    DeveloperKey = PmsOptions.ReadSecret(parse.GetValue(developerKey)!),
                    CustomerKey = PmsOptions.ReadSecret(parse.GetValue(customerKey)!),
                    Clinics = Pairs(parse.GetValue(clinics), "--clinic"),
                    TimeZone = TimeZoneInfo.FindSystemTimeZoneById(parse.GetValue(timeZone)!),
                    Identity = parse.GetValue(shared.Identity),
                    PageSize = parse.GetValue(pageSize),
                };
                options.Validate();
            }
            catch (TimeZoneNotFoundException)
            {
                throw new UsageException("--time-zone: not a known IANA time zone");
            }
            catch (ConnectorConfigurationException ex)
            {
                throw new UsageException(ex.Message);
            }

            var gateway = shared.GatewayOptions(parse);
            var name = parse.GetValue(shared.Name) ?? OpenDentalPoller.System;
            using var state = PmsOptions.OpenState(parse.GetValue(shared.State)!);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(100) };
            var interval = parse.GetValue(every);
            while (true)
            {
                var delivery = new EventDelivery(name, new GatewaySender(http, gateway, TimeProvider.System), state);
                var poller = new OpenDentalPoller(name, new OpenDentalClient(http, options, TimeProvider.System), options, delivery, state, TimeProvider.System);
                state.RunStarted(name);
                var code = ExitCodes.Success;
                try
                {
                    await poller.PollAsync(cancellationToken);
                    state.RunFinished(name, "completed");
                }
                catch (Exception ex) when (ex is OpenDentalException or GatewayUnavailableException)
                {
                    // Both messages name a resource and a status, never a value or a key.
                    state.RunFinished(name, "failed: " + ex.Message);
                    await console.Error.WriteLineAsync("gatewayctl: " + ex.Message);
                    code = ExitCodes.Failed;
                }

                PmsOptions.PrintStatus(console, state.Get(name));
                if (interval is not { } seconds || cancellationToken.IsCancellationRequested)
                {
                    return code;
                }

                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(Math.Max(1, seconds)), cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return code;
                }
            }
        });
        return command;
    }

    internal static Dictionary<string, string> Pairs(string[]? values, string option)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values ?? [])
        {
            var at = value.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0 || at == value.Length - 1)
            {
                throw new UsageException($"{option}: expected name=location-id");
            }

            pairs[value[..at].Trim()] = value[(at + 1)..].Trim();
        }

        return pairs;
    }
}
