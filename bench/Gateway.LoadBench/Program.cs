using System.Globalization;
using System.Runtime.InteropServices;
using Gateway.LoadBench;

// End-to-end load benchmark (issue #8). bench/run.sh is the documented entry point.
//   run [--quick] [--rounds N] [--duration S] [--steady S] [--connections N] [--payloads single,batch-10,batch-50,batch-100]
//       [--skip-latency] [--gateway-dll PATH] (another build of Gateway.Server, measured instead) [--baseline-dll PATH] (another build measured beside it in every round, with a ratio table) [--keep] (keep the gateways' data folders) [--postgres CONNECTION] (the gateway's stores in PostgreSQL) [--audit-verify TEXT] (the verification figure to quote in the summary)
//   upstream --port P                    (started by 'run': the stub upstream)
//   yarp --port P --upstream URL         (started by 'run': bare YARP pass-through)
string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
int Port() => int.Parse(Option("--port") ?? throw new ArgumentException("--port is required"), CultureInfo.InvariantCulture);

switch (args.FirstOrDefault())
{
    case "upstream":
        return Upstream.Run(Port());
    case "yarp":
        return BareProxy.Run(Port(), Option("--upstream") ?? throw new ArgumentException("--upstream is required"));
    case "run":
        using (PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => SutProcess.KillAll()))
        using (PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => SutProcess.KillAll()))
        {
            return await new Suite(SuiteOptions.Parse(args), Gateway.Testing.RepoPaths.Root).RunAsync();
        }
    default:
        Console.Error.WriteLine("usage: Gateway.LoadBench run [--quick] [--rounds N] [--duration S] [--steady S] [--connections N] [--payloads a,b] [--keep]");
        return 2;
}
