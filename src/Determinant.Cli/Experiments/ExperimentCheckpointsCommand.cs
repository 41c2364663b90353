using System.CommandLine;
using Determinant.Cli.Output;
using Determinant.Client;
using Determinant.Protocol.Api;

namespace Determinant.Cli.Experiments;

/// <summary><c>det experiment list-checkpoints ID [--best N] [--csv]</c> (alias <c>lc</c>).</summary>
internal static class ExperimentCheckpointsCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<int>("experiment_id") { Description = "The experiment." };
        var best = new Option<int?>("--best") { Description = "Only the N best checkpoints by the searcher metric (those with a metric)." };
        var csv = new Option<bool>("--csv") { Description = "Print CSV." };
        var json = new Option<bool>("--json") { Description = "Print the checkpoints as the API returns them." };
        var command = new Command("list-checkpoints", "List an experiment's checkpoints (by end time, or the best N).") { id, best, csv, json };
        command.Aliases.Add("lc");
        command.SetClientAction(context, async (parsed, client, cancellationToken) =>
        {
            var experiment = await client.GetExperimentAsync(parsed.GetValue(id), cancellationToken).ConfigureAwait(false);
            var checkpoints = parsed.GetValue(best) is { } n
                ? await experiment.BestCheckpointsAsync(n, cancellationToken).ConfigureAwait(false)
                : await experiment.ListCheckpointsAsync(CheckpointSortBy.EndTime, SortOrder.Ascending, null, cancellationToken).ConfigureAwait(false);
            return ListOutput.Write(context.Output, checkpoints.Select(c => c.Info), ApiJsonContext.Default.CheckpointDto, parsed.GetValue(json),
                parsed.GetValue(csv), ["Trial ID", "# of Batches", "State", "Validation Metric", "UUID", "Resources", "Size"],
                c => [c.TrialId is { } t ? Formats.Int(t) : "", Formats.Int(c.StepsCompleted), StateNames.Display(c.State),
                    Formats.Number(c.SearcherMetric), c.Uuid, $"{c.Resources.Count(r => !r.Key.EndsWith('/'))} files", Formats.Size(c.Size)]);
        });
        return command;
    }
}
