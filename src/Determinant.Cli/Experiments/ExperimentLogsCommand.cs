using System.CommandLine;
using Determinant.Cli.Trials;

namespace Determinant.Cli.Experiments;

/// <summary><c>det experiment logs ID</c>: the logs of the experiment's first trial, with the flags of <c>det trial logs</c>.</summary>
internal static class ExperimentLogsCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<int>("experiment_id") { Description = "The experiment." };
        var (follow, head, tail) = TrialLogsCommand.Options();
        var command = new Command("logs", "Print the logs of an experiment's first trial.") { id, follow, head, tail };
        command.SetClientAction(context, async (parsed, client, cancellationToken) =>
        {
            var (first, last, following) = TrialLogsCommand.Check(parsed.GetValue(head), parsed.GetValue(tail), parsed.GetValue(follow));
            var experiment = await client.GetExperimentAsync(parsed.GetValue(id), cancellationToken).ConfigureAwait(false);
            var trials = await experiment.ListTrialsAsync(cancellationToken).ConfigureAwait(false);
            var trial = trials.OrderBy(t => t.Id).FirstOrDefault()
                ?? throw new CliException(ExitCodes.NotFound, $"experiment {experiment.Id} has no trial yet");
            await TrialLogsCommand.PrintAsync(context, trial, first, last, following, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
