using System.CommandLine;
using Determinant.Client;
using Determinant.Protocol.Api;

namespace Determinant.Cli.Tasks;

/// <summary><c>det notebook start|list|open|logs|kill</c>: Jupyter on the cluster, behind the master's <c>/proxy/&lt;id&gt;/</c>.</summary>
internal static class NotebookCommands
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private static readonly TaskSubcommands.TaskKind Kind = new("notebook", "notebooks",
        (c, ct) => c.ListNotebooksAsync(ct), (c, id, ct) => c.GetNotebookAsync(id, ct), (c, id, ct) => c.KillNotebookAsync(id, ct));

    public static Command Create(CliContext context)
    {
        var command = new Command("notebook", "Run Jupyter notebooks on the cluster.") 
        {
            Start(context), TaskSubcommands.List(context, Kind), Open(context), TaskSubcommands.Logs(context, Kind), TaskSubcommands.Kill(context, Kind),
        };
        return command;
    }

    private static Command Start(CliContext context)
    {
        var configFile = new Option<FileInfo?>("--config-file") { Description = "The notebook config (YAML): description, resources, bind_mounts, idle_timeout." };
        var overrides = new Option<string[]>("--config") { Description = "KEY=VALUE over the config, e.g. resources.slots=0 (repeatable)." };
        var contextDir = new Option<DirectoryInfo?>("--context", "-c") { Description = "A directory whose files the notebook starts in (.detignore applies)." };
        var detach = new Option<bool>("--detach", "-d") { Description = "Print only the id; do not wait until it is ready." };
        var noBrowser = new Option<bool>("--no-browser") { Description = "Accepted for compatibility: no browser is opened." };
        var start = new Command("start", "Start a notebook and wait until it is ready.") { configFile, overrides, contextDir, detach, noBrowser };
        start.SetClientAction(context, async (parsed, client, cancellationToken) =>
        {
            var yaml = await CommandCommands.ReadConfigAsync(parsed.GetValue(configFile), cancellationToken).ConfigureAwait(false);
            var files = parsed.GetValue(contextDir) is { } dir ? CommandCommands.ReadContext(context, dir) : null;
            var notebook = await client.CreateNotebookAsync(yaml, files, parsed.GetValue(overrides), cancellationToken).ConfigureAwait(false);
            if (parsed.GetValue(detach))
            {
                context.Output.WriteLine(notebook.Id);
                return ExitCodes.Success;
            }
            context.Output.WriteLine($"Launched notebook (id: {notebook.Id}, name: {notebook.Description}).");
            while (!notebook.Ready)
            {
                if (notebook.State == "STATE_TERMINATED")
                    throw new CliException(ExitCodes.Failure,
                        $"notebook {notebook.Id} ended before it was ready: {notebook.ExitStatus} (det notebook logs {notebook.Id})");
                await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
                notebook = await client.GetNotebookAsync(notebook.Id, cancellationToken).ConfigureAwait(false);
            }
            context.Output.WriteLine($"Jupyter Notebook is running at: {Url(client, notebook)}");
            return ExitCodes.Success;
        });
        return start;
    }

    private static string Url(DeterminantClient client, TaskDto notebook) => $"{client.Master.TrimEnd('/')}/proxy/{notebook.Id}/";

    private static Command Open(CliContext context)
    {
        var id = new Argument<string>("notebook_id") { Description = "The notebook." };
        var open = new Command("open", "Print the notebook's address.") { id };
        open.SetClientAction(context, async (parsed, client, cancellationToken) =>
        {
            var notebook = await client.GetNotebookAsync(parsed.GetValue(id)!, cancellationToken).ConfigureAwait(false);
            context.Output.WriteLine(Url(client, notebook));
            return ExitCodes.Success;
        });
        return open;
    }
}
