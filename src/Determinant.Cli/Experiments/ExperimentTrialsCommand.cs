using System.CommandLine;
using Determinant.Cli.Output;
using Determinant.Client;

namespace Determinant.Cli.Experiments;

/// <summary><c>det experiment list-trials ID</c> (alias <c>lt</c>).</summary>
internal static class ExperimentTrialsCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<int>("experiment_id") { Description = "The experiment." };
        var csv = new Option<bool>("--csv") { Description = "Print CSV." };
        var command = new Command("list-trials", "List an experiment's trials.") { id, csv };
        command.Aliases.Add("lt");
        command.SetClientAction(context, async (parsed, client, cancellationToken) =>
        {
            var experiment = await client.GetExperimentAsync(parsed.GetValue(id), cancellationToken).ConfigureAwait(false);
            var table = new Table("Trial ID", "State", "H-Params", "Started", "Ended", "# of Batches");
            foreach (var t in (await experiment.ListTrialsAsync(cancellationToken).ConfigureAwait(false)).Select(t => t.Info))
                table.Add(Formats.Int(t.Id), StateNames.Display(t.State), ExperimentRows.HParams(t), Formats.Time(t.StartTime),
                    Formats.Time(t.EndTime), ExperimentRows.Batches(t));
            context.Output.Write(table.Render(parsed.GetValue(csv)));
            return ExitCodes.Success;
        });
        return command;
    }
}
