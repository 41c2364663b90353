using System.CommandLine;
using Determinant.Cli.Output;
using Determinant.Client;
using Determinant.Protocol.Api;

namespace Determinant.Cli.Experiments;

/// <summary><c>det experiment list [-a] [--csv] [--json]</c>: your own unarchived experiments, or everyone's with <c>-a</c>.</summary>
internal static class ExperimentListCommand
{
    public static Command Create(CliContext context)
    {
        var all = new Option<bool>("--all", "-a") { Description = "Every user's experiments, archived ones too." };
        var csv = new Option<bool>("--csv") { Description = "Print CSV." };
        var json = new Option<bool>("--json") { Description = "Print the experiments as the API returns them." };
        var limit = new Option<int?>("--limit") { Description = "At most this many experiments." };
        var offset = new Option<int>("--offset") { Description = "Skip this many experiments." };
        var projectId = new Option<int?>("--project_id") { Description = "Only the experiments of the project with this id." };
        var command = new Command("list", "List experiments.") { all, csv, json, limit, offset, projectId };
        command.Aliases.Add("ls");
        command.SetClientAction(context, async (parsed, session, client, cancellationToken) =>
        {
            var everyone = parsed.GetValue(all);
            var options = new ExperimentListOptions { Limit = parsed.GetValue(limit), Offset = parsed.GetValue(offset), ProjectId = parsed.GetValue(projectId) };
            if (!everyone)
            {
                options.Archived = false;
                // The session knows the user name unless it came from a bare task token; asking the master costs a round trip.
                options.Users.Add(session.UserName ?? (await client.GetMeAsync(cancellationToken).ConfigureAwait(false)).Username);
            }
            var experiments = await client.ListExperimentsAsync(options, cancellationToken).ConfigureAwait(false);
            if (parsed.GetValue(json))
            {
                JsonOutput.Write(context.Output, JsonOutput.Array(experiments.Select(e => e.Info), ApiJsonContext.Default.ExperimentDto));
                return ExitCodes.Success;
            }
            string[] headers = everyone ? [.. ExperimentRows.ListHeaders, "Archived"] : ExperimentRows.ListHeaders;
            var table = new Table(headers);
            foreach (var experiment in experiments)
            {
                var row = ExperimentRows.ListRow(experiment);
                table.Add(everyone ? [.. row, experiment.Info.Archived ? "True" : "False"] : row);
            }
            context.Output.Write(table.Render(parsed.GetValue(csv)));
            return ExitCodes.Success;
        });
        return command;
    }
}
