using System.CommandLine;
using Determinant.Cli.Agents;
using Determinant.Cli.Checkpoints;
using Determinant.Cli.Completion;
using Determinant.Cli.Deploy;
using Determinant.Cli.Experiments;
using Determinant.Cli.Masters;
using Determinant.Cli.Preview;
using Determinant.Cli.Projects;
using Determinant.Cli.Trials;
using Determinant.Cli.Users;

namespace Determinant.Cli;

/// <summary>Builds the <c>det</c> command tree and runs one command line.</summary>
internal static class CliApp
{
    public static int Run(string[] args, TextWriter output, TextWriter error) =>
        RunAsync(args, CliContext.ForConsole(output, error), CancellationToken.None).GetAwaiter().GetResult();

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var root = Build(context);
        var parsed = UsageErrors.ParseWithAbbreviations(root, args);
        var configuration = new InvocationConfiguration { Output = context.Output, Error = context.Error };
        if (parsed.Errors.Count > 0)
        {
            UsageErrors.Print(parsed, context.Error);
            return ExitCodes.Usage;
        }
        return await parsed.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The whole command tree of <c>det</c>, its actions bound to <paramref name="context"/>.</summary>
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("Determinant: train C# models on TorchSharp, from one machine to a cluster.")
        {
            context.Globals.Master,
            context.Globals.User,
        };
        root.Subcommands.Add(PreviewSearchCommand.Create(context.Output, context.Error));
        root.Subcommands.Add(UserCommand.Create(context));
        root.Subcommands.Add(ExperimentCommand.Create(context));
        root.Subcommands.Add(TrialCommand.Create(context));
        root.Subcommands.Add(ProjectCommands.Workspace(context));
        root.Subcommands.Add(ProjectCommands.Project(context));
        root.Subcommands.Add(CheckpointCommand.Create(context));
        root.Subcommands.Add(MasterCommand.Create(context));
        root.Subcommands.Add(AgentCommands.Agent(context));
        root.Subcommands.Add(AgentCommands.Slot(context));
        root.Subcommands.Add(Tasks.CommandCommands.Create(context));
        root.Subcommands.Add(Tasks.NotebookCommands.Create(context));
        root.Subcommands.Add(Tasks.TensorBoardCommands.Create(context));
        root.Subcommands.Add(DeployCommand.Create(context));
        root.Subcommands.Add(CompletionCommand.Create(context, root));
        return root;
    }
}
