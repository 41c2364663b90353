using System.CommandLine;
using Determinant.Cli.Output;
using Determinant.Cli.Projects;
using Determinant.Client;

namespace Determinant.Cli.Experiments;

/// <summary><c>det experiment create CONFIG [MODEL_DIR] [--paused]</c>.</summary>
internal static class ExperimentCreateCommand
{
    public static Command Create(CliContext context)
    {
        var config = new Argument<FileInfo>("config") { Description = "The experiment config (YAML)." };
        var modelDir = new Argument<DirectoryInfo?>("model_dir")
        {
            Description = "The model definition directory (obeys .detignore).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var paused = new Option<bool>("--paused") { Description = "Create the experiment paused instead of starting it." };
        var followFirst = new Option<bool>("--follow-first-trial", "-f") { Description = "Stream the first trial's logs until it ends." };
        var testMode = new Option<bool>("--test-mode", "-t")
        {
            Description = "Check the model definition: one batch of training, a validation and a checkpoint, in an archived copy.",
        };
        var projectId = new Option<int?>("--project_id") { Description = "Put the experiment in the project with this id (default: 1, Uncategorized)." };
        var project = new Option<string?>("--project") { Description = "Put the experiment in this project, named WORKSPACE/PROJECT." };
        var command = new Command("create", "Create an experiment from a config and a model directory.")
        {
            config, modelDir, paused, followFirst, testMode, projectId, project,
        };
        command.SetClientAction(context, async (parsed, client, cancellationToken) =>
        {
            var file = parsed.GetRequiredValue(config);
            string yaml;
            try
            {
                yaml = await File.ReadAllTextAsync(file.FullName, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException(ExitCodes.Usage, $"cannot read config file '{file}': {e.Message}");
            }
            if (new[] { parsed.GetValue(paused), parsed.GetValue(followFirst), parsed.GetValue(testMode) }.Count(f => f) > 1)
                throw new CliException(ExitCodes.Usage, "use at most one of --paused, -f/--follow-first-trial and -t/--test-mode");
            var targetProject = await ProjectCommands.ResolveAsync(client, parsed.GetValue(projectId), parsed.GetValue(project), cancellationToken)
                .ConfigureAwait(false);
            var files = parsed.GetValue(modelDir) is { } dir ? Package(context, dir) : [];
            if (parsed.GetValue(testMode))
                return await ExperimentTestMode.RunAsync(context, client, yaml, files, targetProject, cancellationToken).ConfigureAwait(false);
            var created = await ProgressDisplay.FractionAsync(context, "Uploading", report =>
                client.CreateExperimentAsync(yaml, files, activate: !parsed.GetValue(paused), targetProject,
                    report is null ? null : new SyncProgress<double>(fraction => report(fraction, fraction < 1 ? "Uploading" : "Creating")),
                    cancellationToken)).ConfigureAwait(false);
            context.Output.WriteLine($"Created experiment {created.Experiment.Id}");
            foreach (var warning in created.Warnings)
                context.Error.WriteLine($"warning: {warning}");
            if (parsed.GetValue(followFirst))
                await FollowFirstTrialAsync(context, created.Experiment, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Waits for the first trial (polling every 0.1 s), then streams its logs until it ends.</summary>
    private static async Task FollowFirstTrialAsync(CliContext context, Experiment experiment, CancellationToken cancellationToken)
    {
        context.Output.WriteLine("Waiting for first trial to begin...");
        context.Output.Flush();
        Trial? first;
        while ((first = (await experiment.ListTrialsAsync(cancellationToken).ConfigureAwait(false)).OrderBy(t => t.Id).FirstOrDefault()) is null)
        {
            await experiment.RefreshAsync(cancellationToken).ConfigureAwait(false);
            if (StateNames.IsTerminal(experiment.State))
                throw new CliException(ExitCodes.Failure, $"experiment {experiment.Id} ended {StateNames.Display(experiment.State)} before its first trial began");
            await Task.Delay(TimeSpan.FromMilliseconds(100), context.Time, cancellationToken).ConfigureAwait(false);
        }
        context.Output.WriteLine($"Following first trial with ID {first.Id}");
        context.Output.Flush();
        await Trials.TrialLogsCommand.PrintAsync(context, first, null, null, following: true, cancellationToken).ConfigureAwait(false);
        context.Output.WriteLine($"Trial log stream ended. To reopen log stream, run: det trial logs -f {first.Id}");
    }

    /// <summary>Lists the model directory and refuses it over the limit before a single file is read or sent.</summary>
    private static IReadOnlyList<Protocol.Api.ModelDefinitionFile> Package(CliContext context, DirectoryInfo directory)
    {
        ModelDefinitionPackage package;
        try
        {
            package = ModelDefinitionPackage.Scan(directory.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Usage, $"cannot read model directory '{directory}': {e.Message}");
        }
        context.Output.WriteLine($"Preparing files to send to master... {Formats.Size(package.TotalBytes)} and {package.FileCount} files");
        if (package.TotalBytes > context.ModelDefinitionLimitBytes)
            throw new CliException(ExitCodes.Usage,
                $"the model directory '{directory}' holds {Formats.Size(package.TotalBytes)} after .detignore, over the limit of "
                + $"{Formats.Size(context.ModelDefinitionLimitBytes)}; nothing was sent. Add large files (data sets, checkpoints) to "
                + ".detignore and load them from a bind mount or a data loader instead");
        return package.ReadFiles();
    }
}
