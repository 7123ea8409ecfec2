using System.Runtime.InteropServices;
using Gateway.DevStack;

var layout = StackLayout.Find();
if (args is ["demo", ..])
{
    return await DemoDay.RunAsync(layout);
}

if (args is ["demo-pms", ..])
{
    return await DemoPms.RunAsync(layout);
}

// Ctrl+C, SIGTERM (kill PID) and SIGHUP (the terminal closed) all stop the stack and both children.
using var stop = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Stop);
return await StackLauncher.RunAsync(layout, stop.Token);
