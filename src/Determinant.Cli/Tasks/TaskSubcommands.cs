using System.CommandLine;
using Determinant.Cli.Output;
using Determinant.Cli.Trials;
using Determinant.Client;
using Determinant.Protocol.Api;

namespace Determinant.Cli.Tasks;

/// <summary>
/// The subcommands that commands, notebooks and TensorBoards share: <c>list</c>, <c>logs [-f] ID</c> and <c>kill ID…</c>,
/// each for one kind of task (<see cref="TaskKind"/>).
/// </summary>
internal static class TaskSubcommands
{
    /// <summary>One kind of task as the CLI names it and reaches it through the SDK.</summary>
    /// <param name="Noun">As in "Killed notebook ID" and the argument's name (<c>notebook_id</c>).</param>
    /// <param name="Plural">As in "List your notebooks".</param>
    /// <param name="ListAsync">The caller's tasks of this kind.</param>
    /// <param name="GetAsync">One of them by id.</param>
    /// <param name="KillAsync">Kills one by id.</param>
    internal sealed record TaskKind(
        string Noun,
        string Plural,
        Func<DeterminantClient, CancellationToken, Task<IReadOnlyList<TaskDto>>> ListAsync,
        Func<DeterminantClient, string, CancellationToken, Task<TaskDto>> GetAsync,
        Func<DeterminantClient, string, CancellationToken, Task<TaskDto>> KillAsync);

    /// <summary>The columns every task list shows: id, owner, description, state, exit status and pool.</summary>
    internal static readonly string[] Headers = ["Id", "Username", "Description", "State", "Exit Status", "Resource Pool"];

    internal static string[] Row(TaskDto t) =>
        [t.Id, t.Username, t.Description, t.State.Replace("STATE_", "", StringComparison.Ordinal), t.ExitStatus ?? "N/A", t.ResourcePool];

    public static Command List(CliContext context, TaskKind kind, string[]? headers = null, Func<TaskDto, string[]>? row = null)
    {
        var json = new Option<bool>("--json") { Description = $"Print the {kind.Plural} as the API returns them." };
        var csv = new Option<bool>("--csv") { Description = "Print CSV." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only the ids." };
        var list = new Command("list", $"List your {kind.Plural} (an admin: everyone's).") { json, csv, quiet };
        list.Aliases.Add("ls");
        list.SetClientAction(context, async (parsed, client, cancellationToken) =>
        {
            var tasks = await kind.ListAsync(client, cancellationToken).ConfigureAwait(false);
            if (parsed.GetValue(quiet))
            {
                foreach (var t in tasks)
                    context.Output.WriteLine(t.Id);
                return ExitCodes.Success;
            }
            return ListOutput.Write(context.Output, tasks, ApiJsonContext.Default.TaskDto, parsed.GetValue(json), parsed.GetValue(csv),
                headers ?? Headers, row ?? Row);
        });
        return list;
    }

    public static Command Logs(CliContext context, TaskKind kind)
    {
        var id = new Argument<string>($"{kind.Noun}_id") { Description = $"The {kind.Noun}." };
        var follow = new Option<bool>("--follow", "-f") { Description = $"Keep printing new lines until the {kind.Noun} ends." };
        var logs = new Command("logs", $"Print a {kind.Noun}'s logs.") { id, follow };
        logs.SetClientAction(context, async (parsed, client, cancellationToken) =>
        {
            var task = await kind.GetAsync(client, parsed.GetValue(id)!, cancellationToken).ConfigureAwait(false);
            await foreach (var log in client.StreamTaskLogsAsync(task.Id, parsed.GetValue(follow), cancellationToken: cancellationToken).ConfigureAwait(false))
                context.Output.WriteLine(TrialLogsCommand.Format(log));
            return ExitCodes.Success;
        });
        return logs;
    }

    public static Command Kill(CliContext context, TaskKind kind)
    {
        var ids = new Argument<string[]>($"{kind.Noun}_id") { Description = $"The {kind.Plural}.", Arity = ArgumentArity.OneOrMore };
        var kill = new Command("kill", $"Kill {kind.Plural} and free their resources.") { ids };
        kill.SetClientAction(context, async (parsed, client, cancellationToken) =>
        {
            foreach (var id in parsed.GetValue(ids) ?? [])
            {
                await kind.KillAsync(client, id, cancellationToken).ConfigureAwait(false);
                context.Output.WriteLine($"Killed {kind.Noun} {id}");
            }
            return ExitCodes.Success;
        });
        return kill;
    }
}
