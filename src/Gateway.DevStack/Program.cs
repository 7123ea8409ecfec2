using Gateway.DevStack;

var layout = StackLayout.Find();
if (args is ["demo", ..])
{
    return await DemoDay.RunAsync(layout);
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
return await StackLauncher.RunAsync(layout, stop.Token);
