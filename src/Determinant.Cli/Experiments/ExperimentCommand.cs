using System.CommandLine;

namespace Determinant.Cli.Experiments;

/// <summary><c>det experiment …</c> (alias <c>e</c>).</summary>
internal static class ExperimentCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("experiment", "Create, inspect and control experiments.")
        {
            ExperimentCreateCommand.Create(context),
            ExperimentListCommand.Create(context),
            ExperimentDescribeCommand.Create(context),
            ExperimentTrialsCommand.Create(context),
            ExperimentCheckpointsCommand.Create(context),
            ExperimentWaitCommand.Create(context),
            ExperimentLogsCommand.Create(context),
            ExperimentSetCommand.Create(context),
            ExperimentActionCommands.Delete(context),
        };
        foreach (var action in ExperimentActionCommands.All(context))
            command.Subcommands.Add(action);
        command.Aliases.Add("e");
        return command;
    }
}
