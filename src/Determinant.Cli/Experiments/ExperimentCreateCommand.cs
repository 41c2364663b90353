using System.CommandLine;
using Determinant.Cli.Output;
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
        var command = new Command("create", "Create an experiment from a config and a model directory.") { config, modelDir, paused };
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
            var files = parsed.GetValue(modelDir) is { } dir ? Package(context, dir) : [];
            var created = await client.CreateExperimentAsync(yaml, files, activate: !parsed.GetValue(paused), cancellationToken).ConfigureAwait(false);
            context.Output.WriteLine($"Created experiment {created.Experiment.Id}");
            foreach (var warning in created.Warnings)
                context.Error.WriteLine($"warning: {warning}");
            return ExitCodes.Success;
        });
        return command;
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
