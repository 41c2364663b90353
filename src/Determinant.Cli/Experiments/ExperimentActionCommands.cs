using System.CommandLine;
using Determinant.Client;

namespace Determinant.Cli.Experiments;

/// <summary><c>det experiment pause|activate|cancel|kill|archive|unarchive ID</c> and <c>delete ID [--yes]</c>.</summary>
internal static class ExperimentActionCommands
{
    private static readonly (string Name, string Done, string Help, Func<Experiment, CancellationToken, Task> Act)[] Actions =
    [
        ("activate", "Activated", "Activate a paused experiment.", (e, ct) => e.ActivateAsync(ct)),
        ("pause", "Paused", "Pause an active experiment (its trials checkpoint and stop).", (e, ct) => e.PauseAsync(ct)),
        ("cancel", "Canceled", "Cancel an experiment (its trials checkpoint and end).", (e, ct) => e.CancelAsync(ct)),
        ("kill", "Killed", "Kill an experiment (its trials stop at once, without a checkpoint).", (e, ct) => e.KillAsync(ct)),
        ("archive", "Archived", "Hide a terminal experiment from default lists.", (e, ct) => e.ArchiveAsync(ct)),
        ("unarchive", "Unarchived", "Show an archived experiment in default lists again.", (e, ct) => e.UnarchiveAsync(ct)),
    ];

    public static IEnumerable<Command> All(CliContext context)
    {
        foreach (var (name, done, help, act) in Actions)
        {
            var id = new Argument<int>("experiment_id") { Description = "The experiment." };
            var command = new Command(name, help) { id };
            command.SetClientAction(context, async (parsed, client, cancellationToken) =>
            {
                var experiment = await client.GetExperimentAsync(parsed.GetValue(id), cancellationToken).ConfigureAwait(false);
                await act(experiment, cancellationToken).ConfigureAwait(false);
                context.Output.WriteLine($"{done} experiment {experiment.Id}");
                return ExitCodes.Success;
            });
            yield return command;
        }
    }

    public static Command Delete(CliContext context)
    {
        var id = new Argument<int>("experiment_id") { Description = "The experiment." };
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation." };
        var command = new Command("delete", "Delete a terminal experiment with its checkpoints, trials and logs.") { id, yes };
        command.SetClientAction(context, async (parsed, client, cancellationToken) =>
        {
            var experiment = await client.GetExperimentAsync(parsed.GetValue(id), cancellationToken).ConfigureAwait(false);
            if (!parsed.GetValue(yes))
            {
                var answer = context.Prompt(
                    $"Deleting experiment {experiment.Id} removes its checkpoints, trials and logs for good. Continue? [y/N] ", secret: false);
                if (answer?.Trim().ToUpperInvariant() is not ("Y" or "YES"))
                {
                    context.Error.WriteLine("Aborting.");
                    return ExitCodes.Failure;
                }
            }
            await experiment.DeleteAsync(cancellationToken).ConfigureAwait(false);
            context.Output.WriteLine($"Deletion of experiment {experiment.Id} is in progress");
            return ExitCodes.Success;
        });
        return command;
    }
}
