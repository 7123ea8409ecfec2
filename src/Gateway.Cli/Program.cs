using Gateway.Cli;

return await GatewayCtl.RunAsync(args, CliConsole.FromSystem());
