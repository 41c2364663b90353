using System.CommandLine;
using System.Globalization;
using Determinant.Cli.Output;
using Determinant.Client;

namespace Determinant.Cli.Experiments;

/// <summary>
/// <c>det experiment set gc-policy ID [--save-experiment-best N] [--save-trial-best N] [--save-trial-latest N] [--yes]</c>:
/// shows the checkpoints the new policy deletes, asks, then stores it (REFERENCE.md §4.4).
/// </summary>
internal static class ExperimentSetCommand
{
    public static Command Create(CliContext context) => new("set", "Change an experiment's settings.") { GcPolicy(context) };

    private static Command GcPolicy(CliContext context)
    {
        var id = new Argument<int>("experiment_id") { Description = "The experiment." };
        var experimentBest = new Option<int?>("--save-experiment-best") { Description = "Keep the best N checkpoints of the experiment." };
        var trialBest = new Option<int?>("--save-trial-best") { Description = "Keep the best N checkpoints of each trial." };
        var trialLatest = new Option<int?>("--save-trial-latest") { Description = "Keep the latest N checkpoints of each trial." };
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation." };
        var command = new Command("gc-policy", "Set the checkpoint garbage collection policy, after a preview of what it deletes.")
        {
            id, experimentBest, trialBest, trialLatest, yes,
        };
        command.SetClientAction(context, async (parsed, client, cancellationToken) =>
        {
            var (e, b, l) = (parsed.GetValue(experimentBest), parsed.GetValue(trialBest), parsed.GetValue(trialLatest));
            if (e is null && b is null && l is null)
                throw new CliException(ExitCodes.Usage, "give at least one of --save-experiment-best, --save-trial-best, --save-trial-latest");
            foreach (var (name, value) in new[] { ("--save-experiment-best", e), ("--save-trial-best", b), ("--save-trial-latest", l) })
                if (value < 0)
                    throw new CliException(ExitCodes.Usage, $"{name} must be 0 or more, not {value}");
            var experiment = await client.GetExperimentAsync(parsed.GetValue(id), cancellationToken).ConfigureAwait(false);
            var doomed = await experiment.PreviewGcAsync(e, b, l, cancellationToken).ConfigureAwait(false);
            if (doomed.Count == 0)
                context.Output.WriteLine("No checkpoint would be deleted by this policy.");
            else
            {
                context.Output.WriteLine($"This policy deletes {doomed.Count} checkpoint(s):");
                var table = new Table("Trial ID", "# of Batches", "State", "Validation Metric", "UUID", "Size");
                foreach (var c in doomed)
                    table.Add(c.TrialId?.ToString(CultureInfo.InvariantCulture) ?? "", Formats.Int(c.StepsCompleted), StateNames.Display(c.State),
                        Formats.Number(c.SearcherMetric), c.Uuid, Formats.Size(c.Size));
                context.Output.Write(table.Render(false));
            }
            if (!parsed.GetValue(yes))
            {
                var answer = context.Prompt("Do you wish to set this policy? [y/N] ", secret: false);
                if (answer?.Trim().ToUpperInvariant() is not ("Y" or "YES"))
                {
                    context.Error.WriteLine("Aborting; the policy is unchanged.");
                    return ExitCodes.Failure;
                }
            }
            await experiment.SetGcPolicyAsync(e, b, l, cancellationToken).ConfigureAwait(false);
            var storage = experiment.Config?["checkpoint_storage"];
            context.Output.WriteLine($"Set the GC policy of experiment {experiment.Id}: save_experiment_best {storage?["save_experiment_best"]}, "
                + $"save_trial_best {storage?["save_trial_best"]}, save_trial_latest {storage?["save_trial_latest"]}");
            return ExitCodes.Success;
        });
        return command;
    }
}
