using System.CommandLine;
using Determinant.Cli.Output;
using Determinant.Client;
using Determinant.Protocol.Api;

namespace Determinant.Cli.Experiments;

/// <summary><c>det experiment wait ID [--polling-interval 5]</c>: exits 0 only when the experiment ends COMPLETED.</summary>
internal static class ExperimentWaitCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<int>("experiment_id") { Description = "The experiment." };
        var interval = new Option<double>("--polling-interval") { Description = "Seconds between polls.", DefaultValueFactory = _ => 5 };
        var command = new Command("wait", "Wait until an experiment ends; fail unless it COMPLETED.") { id, interval };
        command.SetClientAction(context, async (parsed, client, cancellationToken) =>
        {
            var seconds = parsed.GetValue(interval);
            if (seconds <= 0)
                throw new CliException(ExitCodes.Usage, $"--polling-interval must be positive, not {seconds}");
            var experiment = await client.GetExperimentAsync(parsed.GetValue(id), cancellationToken).ConfigureAwait(false);
            var state = await ProgressDisplay.FractionAsync(context, $"experiment {experiment.Id}", async update =>
            {
                while (!StateNames.IsTerminal(experiment.State))
                {
                    update?.Invoke(experiment.Info.Progress, $"experiment {experiment.Id} {StateNames.Display(experiment.State)}");
                    await Task.Delay(TimeSpan.FromSeconds(seconds), context.Time, cancellationToken).ConfigureAwait(false);
                    await experiment.RefreshAsync(cancellationToken).ConfigureAwait(false);
                }
                update?.Invoke(experiment.Info.Progress, $"experiment {experiment.Id} {StateNames.Display(experiment.State)}");
                return experiment.State;
            }).ConfigureAwait(false);
            var line = $"Experiment {experiment.Id} ended {StateNames.Display(state)}";
            (state == ExperimentState.Completed ? context.Output : context.Error).WriteLine(line);
            return state == ExperimentState.Completed ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }
}
