using System.CommandLine;
using System.Text.Json.Nodes;
using Determinant.Cli.Experiments;
using Determinant.Cli.Output;
using Determinant.Client;
using Determinant.Protocol.Api;

namespace Determinant.Cli.Trials;

/// <summary><c>det trial describe ID [--json]</c> and <c>det trial logs ID</c>.</summary>
internal static class TrialCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("trial", "Inspect trials.") { Describe(context), TrialLogsCommand.Create(context) };
        command.Aliases.Add("t");
        return command;
    }

    private static Command Describe(CliContext context)
    {
        var id = new Argument<int>("trial_id") { Description = "The trial." };
        var json = new Option<bool>("--json") { Description = "Print the trial and its metrics as the API returns them." };
        var csv = new Option<bool>("--csv") { Description = "Print CSV." };
        var command = new Command("describe", "Describe a trial and its metrics reports.") { id, json, csv };
        command.SetClientAction(context, async (parsed, client, cancellationToken) =>
        {
            var trial = await client.GetTrialAsync(parsed.GetValue(id), cancellationToken).ConfigureAwait(false);
            var training = await trial.ListMetricsAsync("training", cancellationToken).ConfigureAwait(false);
            var validation = await trial.ListMetricsAsync("validation", cancellationToken).ConfigureAwait(false);
            if (parsed.GetValue(json))
            {
                JsonOutput.Write(context.Output, new JsonObject
                {
                    ["trial"] = JsonOutput.Node(trial.Info, ApiJsonContext.Default.TrialDto),
                    ["trainingMetrics"] = JsonOutput.Array(training, ApiJsonContext.Default.MetricReportDto),
                    ["validationMetrics"] = JsonOutput.Array(validation, ApiJsonContext.Default.MetricReportDto),
                });
                return ExitCodes.Success;
            }
            var asCsv = parsed.GetValue(csv);
            var t = trial.Info;
            var summary = new Table("Experiment ID", "State", "H-Params", "Summary Metrics", "Started", "Ended")
                .Add(Formats.Int(t.ExperimentId), StateNames.Display(t.State), ExperimentRows.HParams(t),
                    Formats.Json(t.LatestValidation?.Metrics), Formats.Time(t.StartTime), Formats.Time(t.EndTime));
            var validations = validation.ToDictionary(v => v.StepsCompleted);
            var workloads = new Table("# of Batches", "Report Time", "Training Metrics", "Validation Metrics");
            foreach (var steps in training.Select(m => m.StepsCompleted).Union(validations.Keys).Order())
            {
                var train = training.FirstOrDefault(m => m.StepsCompleted == steps);
                var valid = validations.GetValueOrDefault(steps);
                workloads.Add(Formats.Int(steps), Formats.Time((valid ?? train)?.ReportTime), Formats.Json(train?.Metrics), Formats.Json(valid?.Metrics));
            }
            context.Output.Write(summary.Render(asCsv));
            context.Output.WriteLine();
            if (!asCsv)
                context.Output.WriteLine("Workloads:");
            context.Output.Write(workloads.Render(asCsv));
            return ExitCodes.Success;
        });
        return command;
    }
}
