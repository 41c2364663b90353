using Determinant.Cli.Trials;
using Determinant.Client;
using Determinant.Protocol.Api;

namespace Determinant.Cli.Experiments;

/// <summary>
/// <c>det experiment create -t</c>: validates the config, then runs a test-mode copy (<see cref="TestModeConfig"/>) and ticks
/// off each step as the trial shows it done: scheduled (it logs or reports), trained a batch (a training report), validated
/// (a validation report), checkpointed (a completed checkpoint). A failure ends it at once with the trial's last log lines.
/// The copy is archived when it ends.
/// </summary>
internal static class ExperimentTestMode
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    public static async Task<int> RunAsync(
        CliContext context, DeterminantClient client, string yaml, IReadOnlyList<ModelDefinitionFile> files, int? projectId, CancellationToken cancellationToken)
    {
        var output = context.Output;
        var (resolved, warnings) = await client.ValidateExperimentAsync(yaml, files, cancellationToken).ConfigureAwait(false);
        foreach (var warning in warnings)
            context.Error.WriteLine($"warning: {warning}");
        var created = await client.CreateExperimentAsync(TestModeConfig.From(resolved), files, activate: true, projectId, uploadProgress: null, cancellationToken).ConfigureAwait(false);
        var experiment = created.Experiment;
        output.WriteLine($"Created test-mode experiment {experiment.Id}");
        (string Step, Func<Probe, bool> Done)[] steps =
        [
            ("Scheduling task", p => p.Logged || p.Trained),
            ("Testing training", p => p.Trained),
            ("Testing validation", p => p.Validated),
            ("Testing checkpointing", p => p.Checkpointed),
        ];
        Trial? trial = null;
        foreach (var (step, done) in steps)
        {
            output.Write(step);
            output.Flush();
            while (true)
            {
                var probe = await ProbeAsync(experiment, trial, cancellationToken).ConfigureAwait(false);
                trial = probe.Trial;
                if (done(probe))
                {
                    output.WriteLine(" [✔]");
                    break;
                }
                if (StateNames.IsTerminal(experiment.State))
                {
                    output.WriteLine(" [✘]");
                    return await FailAsync(context, experiment, trial, cancellationToken).ConfigureAwait(false);
                }
                output.Write('.');
                output.Flush();
                await Task.Delay(Poll, context.Time, cancellationToken).ConfigureAwait(false);
            }
        }
        var state = await experiment.WaitAsync(Poll, null, cancellationToken).ConfigureAwait(false);
        if (state != ExperimentState.Completed)
            return await FailAsync(context, experiment, trial, cancellationToken).ConfigureAwait(false);
        await experiment.ArchiveAsync(cancellationToken).ConfigureAwait(false);
        output.WriteLine($"Model definition test succeeded (experiment {experiment.Id}, archived).");
        return ExitCodes.Success;
    }

    private sealed record Probe(Trial? Trial, bool Logged, bool Trained, bool Validated, bool Checkpointed);

    private static async Task<Probe> ProbeAsync(Experiment experiment, Trial? trial, CancellationToken cancellationToken)
    {
        await experiment.RefreshAsync(cancellationToken).ConfigureAwait(false);
        trial ??= (await experiment.ListTrialsAsync(cancellationToken).ConfigureAwait(false)).OrderBy(t => t.Id).FirstOrDefault();
        if (trial is null)
            return new Probe(null, false, false, false, false);
        var logged = false;
        await foreach (var _ in trial.StreamLogsAsync(false, 1, cancellationToken).ConfigureAwait(false))
            logged = true;
        var trained = (await trial.ListMetricsAsync("training", cancellationToken).ConfigureAwait(false)).Count > 0;
        var validated = (await trial.ListMetricsAsync("validation", cancellationToken).ConfigureAwait(false)).Count > 0;
        var checkpointed = (await experiment.ListCheckpointsAsync(CheckpointSortBy.EndTime, SortOrder.Ascending, null, cancellationToken).ConfigureAwait(false))
            .Any(c => c.State == CheckpointState.Completed);
        return new Probe(trial, logged, trained, validated, checkpointed);
    }

    private static async Task<int> FailAsync(CliContext context, Experiment experiment, Trial? trial, CancellationToken cancellationToken)
    {
        context.Error.WriteLine($"det: the test-mode experiment {experiment.Id} ended {StateNames.Display(experiment.State)}");
        if (trial is not null)
        {
            context.Error.WriteLine($"The last lines of trial {trial.Id}'s log (all of it: det trial logs {trial.Id}):");
            var tail = new Queue<TrialLogDto>();
            await foreach (var log in trial.StreamLogsAsync(false, null, cancellationToken).ConfigureAwait(false))
            {
                tail.Enqueue(log);
                if (tail.Count > 30)
                    tail.Dequeue();
            }
            foreach (var log in tail)
                context.Error.WriteLine(TrialLogsCommand.Format(log));
        }
        return ExitCodes.Failure;
    }
}
