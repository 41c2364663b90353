using System.CommandLine;
using Determinant.Cli.Output;
using Determinant.Cli.Trials;
using Determinant.Client;
using Determinant.Protocol.Api;

namespace Determinant.Cli.Tasks;

/// <summary>
/// <c>det cmd run|list|logs|kill</c> (also <c>det command</c>): run a program on the cluster in a context directory's
/// files, with the owner's environment, and read its logs like a trial's.
/// </summary>
internal static class CommandCommands
{
    private static readonly TaskSubcommands.TaskKind Kind = new("command", "commands",
        (c, ct) => c.ListCommandsAsync(ct), (c, id, ct) => c.GetCommandAsync(id, ct), (c, id, ct) => c.KillCommandAsync(id, ct));

    public static Command Create(CliContext context)
    {
        var command = new Command("command", "Run commands on the cluster.") 
        {
            Run(context), TaskSubcommands.List(context, Kind), TaskSubcommands.Logs(context, Kind), TaskSubcommands.Kill(context, Kind),
        };
        command.Aliases.Add("cmd");
        return command;
    }

    private static Command Run(CliContext context)
    {
        var configFile = new Option<FileInfo?>("--config-file") { Description = "The task config (YAML): description, resources, bind_mounts, environment." };
        var overrides = new Option<string[]>("--config") { Description = "KEY=VALUE over the config, e.g. resources.slots=0 (repeatable)." };
        var contextDir = new Option<DirectoryInfo?>("--context", "-c") { Description = "A directory whose files the command runs in (.detignore applies)." };
        var detach = new Option<bool>("--detach", "-d") { Description = "Print the id and return; do not follow the logs." };
        var entrypoint = new Argument<string[]>("entrypoint") { Description = "The program and its arguments (one argument runs through sh -c).", Arity = ArgumentArity.OneOrMore };
        var run = new Command("run", "Run a command on the cluster and follow its logs.") { configFile, overrides, contextDir, detach, entrypoint };
        run.SetClientAction(context, async (parsed, client, cancellationToken) =>
        {
            var yaml = await ReadConfigAsync(parsed.GetValue(configFile), cancellationToken).ConfigureAwait(false);
            var files = parsed.GetValue(contextDir) is { } dir ? ReadContext(context, dir) : null;
            var task = await client.CreateCommandAsync(parsed.GetValue(entrypoint) ?? [], yaml, files, parsed.GetValue(overrides), cancellationToken)
                .ConfigureAwait(false);
            if (parsed.GetValue(detach))
            {
                context.Output.WriteLine(task.Id);
                return ExitCodes.Success;
            }
            context.Output.WriteLine($"Launched command (id: {task.Id}, description: {task.Description}).");
            await foreach (var log in client.StreamTaskLogsAsync(task.Id, follow: true, cancellationToken: cancellationToken).ConfigureAwait(false))
                context.Output.WriteLine(TrialLogsCommand.Format(log));
            var ended = await client.GetCommandAsync(task.Id, cancellationToken).ConfigureAwait(false);
            context.Output.WriteLine($"Command {task.Id} ended: {ended.ExitStatus}");
            return ended.ExitStatus == "exited with code 0" ? ExitCodes.Success : ExitCodes.Failure;
        });
        return run;
    }

    /// <exception cref="CliException">The file cannot be read.</exception>
    internal static async Task<string?> ReadConfigAsync(FileInfo? file, CancellationToken cancellationToken)
    {
        if (file is null)
            return null;
        try
        {
            return await File.ReadAllTextAsync(file.FullName, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Usage, $"cannot read config file '{file}': {e.Message}");
        }
    }

    internal static IReadOnlyList<ModelDefinitionFile> ReadContext(CliContext context, DirectoryInfo directory)
    {
        ModelDefinitionPackage package;
        try
        {
            package = ModelDefinitionPackage.Scan(directory.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Usage, $"cannot read context directory '{directory}': {e.Message}");
        }
        if (package.TotalBytes > context.ModelDefinitionLimitBytes)
            throw new CliException(ExitCodes.Usage,
                $"the context directory '{directory}' holds {Formats.Size(package.TotalBytes)} after .detignore, over the limit of "
                + $"{Formats.Size(context.ModelDefinitionLimitBytes)}; nothing was sent");
        return package.ReadFiles();
    }
}
