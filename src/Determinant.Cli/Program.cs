using Determinant.Cli;

// System.CommandLine turns Ctrl-C into cancellation of the running command.
return await CliApp.RunAsync(args, CliContext.ForConsole(Console.Out, Console.Error), CancellationToken.None);
