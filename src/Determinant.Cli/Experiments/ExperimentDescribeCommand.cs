using System.CommandLine;
using System.Text.Json.Nodes;
using Determinant.Cli.Output;
using Determinant.Client;
using Determinant.Protocol.Api;

namespace Determinant.Cli.Experiments;

/// <summary>
/// <c>det experiment describe ID [--json] [--csv] [--metrics] [--outdir DIR]</c>: the Experiment, Trials and Workloads
/// tables of REFERENCE.md §6.2; with <c>--outdir</c> they are written as <c>experiments.csv</c>, <c>trials.csv</c> and
/// <c>workloads.csv</c> in DIR instead.
/// </summary>
internal static class ExperimentDescribeCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<int>("experiment_id") { Description = "The experiment." };
        var json = new Option<bool>("--json") { Description = "Print the experiment, its config and its trials as the API returns them." };
        var csv = new Option<bool>("--csv") { Description = "Print CSV." };
        var metrics = new Option<bool>("--metrics") { Description = "Show every training and validation metric in the Workloads table." };
        var outdir = new Option<string?>("--outdir") { Description = "Write experiments.csv, trials.csv and workloads.csv into this directory." };
        var command = new Command("describe", "Describe an experiment, its trials and their workloads.") { id, json, csv, metrics, outdir };
        command.SetClientAction(context, async (parsed, client, cancellationToken) =>
        {
            var experiment = await client.GetExperimentAsync(parsed.GetValue(id), cancellationToken).ConfigureAwait(false);
            var trials = await experiment.ListTrialsAsync(cancellationToken).ConfigureAwait(false);
            if (parsed.GetValue(json))
            {
                JsonOutput.Write(context.Output, new JsonObject
                {
                    ["experiment"] = JsonOutput.Node(experiment.Info, ApiJsonContext.Default.ExperimentDto),
                    ["config"] = experiment.Config?.DeepClone(),
                    ["trials"] = JsonOutput.Array(trials.Select(t => t.Info), ApiJsonContext.Default.TrialDto),
                });
                return ExitCodes.Success;
            }
            var asCsv = parsed.GetValue(csv);
            var e = experiment.Info;
            var summary = new Table("Experiment ID", "State", "Progress", "Started", "Ended", "Name", "Description", "Archived", "Resource Pool", "Labels")
                .Add(Formats.Int(e.Id), StateNames.Display(e.State), Formats.Progress(e.Progress), Formats.Time(e.StartTime), Formats.Time(e.EndTime),
                    e.Name, e.Description ?? "", e.Archived ? "True" : "False", ExperimentRows.ResourcePool(experiment), string.Join(", ", e.Labels));
            var trialTable = new Table("Trial ID", "Experiment ID", "State", "Started", "Ended", "H-Params");
            foreach (var t in trials.Select(t => t.Info))
                trialTable.Add(Formats.Int(t.Id), Formats.Int(t.ExperimentId), StateNames.Display(t.State), Formats.Time(t.StartTime),
                    Formats.Time(t.EndTime), ExperimentRows.HParams(t));
            var workloads = await WorkloadsTable.BuildAsync(experiment, trials, parsed.GetValue(metrics), cancellationToken).ConfigureAwait(false);
            if (parsed.GetValue(outdir) is { } given)
            {
                var directory = Path.GetFullPath(given, context.WorkingDirectory);
                Directory.CreateDirectory(directory);
                foreach (var (file, table) in new[] { ("experiments.csv", summary), ("trials.csv", trialTable), ("workloads.csv", workloads) })
                    await File.WriteAllTextAsync(Path.Combine(directory, file), table.Render(csv: true), cancellationToken).ConfigureAwait(false);
                context.Output.WriteLine($"Wrote experiments.csv, trials.csv and workloads.csv to {directory}");
                return ExitCodes.Success;
            }
            var output = context.Output;
            if (!asCsv)
                output.WriteLine("Experiment:");
            output.Write(summary.Render(asCsv));
            output.WriteLine();
            if (!asCsv)
                output.WriteLine("Trials:");
            output.Write(trialTable.Render(asCsv));
            output.WriteLine();
            if (!asCsv)
                output.WriteLine("Workloads:");
            output.Write(workloads.Render(asCsv));
            return ExitCodes.Success;
        });
        return command;
    }
}
