using System.CommandLine;
using Determinant.Cli.Output;
using Determinant.Cli.Trials;
using Determinant.Client;
using Determinant.Protocol.Api;

namespace Determinant.Cli.Tasks;

/// <summary><c>det notebook start|list|open|logs|kill</c>: Jupyter on the cluster, behind the master's <c>/proxy/&lt;id&gt;/</c>.</summary>
internal static class NotebookCommands
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    public static Command Create(CliContext context)
    {
        var command = new Command("notebook", "Run Jupyter notebooks on the cluster.") { Start(context), List(context), Open(context), Logs(context), Kill(context) };
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

    private static Command List(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print the notebooks as the API returns them." };
        var csv = new Option<bool>("--csv") { Description = "Print CSV." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only the ids." };
        var list = new Command("list", "List your notebooks (an admin: everyone's).") { json, csv, quiet };
        list.Aliases.Add("ls");
        list.SetClientAction(context, async (parsed, client, cancellationToken) =>
        {
            var notebooks = await client.ListNotebooksAsync(cancellationToken).ConfigureAwait(false);
            if (parsed.GetValue(quiet))
            {
                foreach (var n in notebooks)
                    context.Output.WriteLine(n.Id);
                return ExitCodes.Success;
            }
            return ListOutput.Write(context.Output, notebooks, ApiJsonContext.Default.TaskDto, parsed.GetValue(json), parsed.GetValue(csv),
                ["Id", "Username", "Description", "State", "Exit Status", "Resource Pool"],
                n => [n.Id, n.Username, n.Description, n.State.Replace("STATE_", "", StringComparison.Ordinal), n.ExitStatus ?? "N/A", n.ResourcePool]);
        });
        return list;
    }

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

    private static Command Logs(CliContext context)
    {
        var id = new Argument<string>("notebook_id") { Description = "The notebook." };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines until the notebook ends." };
        var logs = new Command("logs", "Print a notebook's logs.") { id, follow };
        logs.SetClientAction(context, async (parsed, client, cancellationToken) =>
        {
            var notebook = await client.GetNotebookAsync(parsed.GetValue(id)!, cancellationToken).ConfigureAwait(false);
            await foreach (var log in client.StreamTaskLogsAsync(notebook.Id, parsed.GetValue(follow), cancellationToken: cancellationToken).ConfigureAwait(false))
                context.Output.WriteLine(TrialLogsCommand.Format(log));
            return ExitCodes.Success;
        });
        return logs;
    }

    private static Command Kill(CliContext context)
    {
        var ids = new Argument<string[]>("notebook_id") { Description = "The notebooks.", Arity = ArgumentArity.OneOrMore };
        var kill = new Command("kill", "Kill notebooks and free their resources.") { ids };
        kill.SetClientAction(context, async (parsed, client, cancellationToken) =>
        {
            foreach (var id in parsed.GetValue(ids) ?? [])
            {
                await client.KillNotebookAsync(id, cancellationToken).ConfigureAwait(false);
                context.Output.WriteLine($"Killed notebook {id}");
            }
            return ExitCodes.Success;
        });
        return kill;
    }
}
