using System.CommandLine;
using Determinant.Cli.Output;
using Determinant.Client;

namespace Determinant.Cli.Checkpoints;

/// <summary><c>det checkpoint download UUID [-o/--output-dir DIR] [--mode auto|direct|master]</c> (alias <c>c</c>).</summary>
internal static class CheckpointCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("checkpoint", "Work with checkpoints.") { Download(context) };
        command.Aliases.Add("c");
        return command;
    }

    private static Command Download(CliContext context)
    {
        var uuid = new Argument<string>("uuid") { Description = "The checkpoint's UUID." };
        var outputDir = new Option<string?>("--output-dir", "-o") { Description = "The directory to create (default: checkpoints/<uuid>)." };
        var mode = new Option<string>("--mode")
        {
            Description = "auto: read the storage directly when this machine sees it, else stream through the master; direct: only the storage; master: only the stream.",
            DefaultValueFactory = _ => "auto",
        };
        mode.AcceptOnlyFromAmong("auto", "direct", "master");
        var command = new Command("download", "Download a checkpoint's files into a new directory.") { uuid, outputDir, mode };
        command.SetClientAction(context, async (parsed, client, cancellationToken) =>
        {
            var id = parsed.GetValue(uuid)!;
            if (!Guid.TryParse(id, out var parsedId))
                throw new CliException(ExitCodes.Usage, $"'{id}' is not a checkpoint UUID");
            var checkpoint = await client.GetCheckpointAsync(parsedId.ToString("D"), cancellationToken).ConfigureAwait(false);
            var target = Path.GetFullPath(parsed.GetValue(outputDir) ?? Path.Combine("checkpoints", checkpoint.Uuid), context.WorkingDirectory);
            context.Error.WriteLine($"Downloading checkpoint {checkpoint.Uuid} ({Formats.Size(checkpoint.Size)}) to {target}");
            try
            {
                var wanted = parsed.GetValue(mode) switch
                {
                    "direct" => CheckpointDownloadMode.Direct,
                    "master" => CheckpointDownloadMode.Master,
                    _ => CheckpointDownloadMode.Auto,
                };
                var (used, written) = await ProgressDisplay.BytesAsync(context, $"checkpoint {checkpoint.Uuid[..8]}", checkpoint.Size,
                    progress => checkpoint.DownloadWithModeAsync(target, wanted, progress, cancellationToken)).ConfigureAwait(false);
                context.Error.WriteLine(used == CheckpointDownloadMode.Direct ? "Read directly from the checkpoint storage" : "Streamed through the master");
                context.Output.WriteLine($"Downloaded checkpoint {checkpoint.Uuid} to {written}");
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                // InvalidDataException (an unsafe or mismatching archive, a file that differs from its recorded SHA-256) is
                // no IOException: it used to escape as a stack trace.
                throw new CliException(ExitCodes.Failure, e.Message);
            }
        });
        return command;
    }
}
