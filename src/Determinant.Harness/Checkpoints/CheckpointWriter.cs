using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Determinant.Harness.Hosting;
using Determinant.Harness.Loop;
using static TorchSharp.torch;

namespace Determinant.Harness.Checkpoints;

/// <summary>
/// Writes a checkpoint into <c>&lt;storage&gt;/.&lt;uuid&gt;.partial/</c> and renames it to <c>&lt;storage&gt;/&lt;uuid&gt;/</c> only
/// when every file is written, so a crash never leaves a directory that looks like a complete checkpoint.
/// </summary>
internal sealed class CheckpointWriter(CheckpointSettings settings)
{
    public const string Framework = "torchsharp-0.107";
    public const string Format = "torchsharp";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <exception cref="IOException">The storage directory cannot be written; the message names the path and the system's reason.</exception>
    public WrittenCheckpoint Write(TorchTrial trial, TrainingState state)
    {
        var uuid = settings.NewUuid().ToString();
        var final = Path.Combine(settings.BaseDirectory, uuid);
        var partial = Path.Combine(settings.BaseDirectory, $".{uuid}.partial");
        var metadata = Metadata(state);
        try
        {
            Directory.CreateDirectory(partial);
            WriteState(trial, state, partial);
            File.WriteAllText(Path.Combine(partial, CheckpointFiles.Metadata), metadata.ToJsonString(Indented));
            File.WriteAllText(Path.Combine(partial, CheckpointFiles.LoadSpec), LoadSpec().ToJsonString(Indented));
            CopyModelDefinition(Path.Combine(partial, CheckpointFiles.Code));
            Directory.Move(partial, final);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(partial);
            throw new IOException($"cannot write checkpoint {uuid} to {final}: {ex.Message}{Diagnose(settings.BaseDirectory)}", ex);
        }

        return new WrittenCheckpoint(uuid, final, CheckpointResources.Of(final), metadata);
    }

    private static void WriteState(TorchTrial trial, TrainingState state, string directory)
    {
        for (var i = 0; i < trial.Models.Count; i++)
        {
            trial.Models[i].save(Path.Combine(directory, CheckpointFiles.Model(i)));
            SafeTensorsFile.Write(Path.Combine(directory, CheckpointFiles.ModelSafetensors(i)), trial.Models[i].state_dict(),
                new Dictionary<string, string> { ["format"] = "pt", ["framework"] = Framework });
        }

        for (var i = 0; i < trial.Optimizers.Count; i++)
            trial.Optimizers[i].save_state_dict(Path.Combine(directory, CheckpointFiles.Optimizer(i)));

        using (var rng = get_rng_state())
            File.WriteAllBytes(Path.Combine(directory, CheckpointFiles.RngState), rng.bytes.ToArray());

        state.SchedulerSteps = [.. trial.Schedulers.Select(s => s.Steps)];
        File.WriteAllText(Path.Combine(directory, CheckpointFiles.LoopState), JsonSerializer.Serialize(state, HarnessJsonContext.Default.TrainingState));
    }

    private JsonObject Metadata(TrainingState state) => new()
    {
        ["steps_completed"] = state.StepsCompleted,
        ["framework"] = Framework,
        ["format"] = Format,
        ["determinant_version"] = typeof(CheckpointWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
        ["experiment_id"] = settings.ExperimentId,
        ["trial_id"] = settings.TrialId,
        ["hparams"] = settings.Hyperparameters.DeepClone(),
    };

    private JsonObject LoadSpec() => new()
    {
        ["trial_type"] = nameof(TorchTrial),
        ["experiment_config"] = JsonNode.Parse(settings.ExperimentConfigJson),
        ["hparams"] = settings.Hyperparameters.DeepClone(),
        ["trial_cls_spec"] = settings.TrialClassSpec,
    };

    // The model definition as the trial saw it; build output and version control folders are left out, and so is the
    // checkpoint storage should it lie inside the model definition.
    private void CopyModelDefinition(string target)
    {
        Directory.CreateDirectory(target);
        var source = new DirectoryInfo(settings.ModelDefinitionDirectory);
        if (!source.Exists)
            return;
        var storage = Path.GetFullPath(settings.BaseDirectory);
        foreach (var file in source.EnumerateFiles("*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source.FullName, file.FullName);
            var parts = relative.Split(Path.DirectorySeparatorChar);
            if (parts.Any(p => p is "bin" or "obj" or ".git") || file.FullName.StartsWith(storage + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                continue;
            var destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            file.CopyTo(destination);
        }
    }

    // .NET reports ENOTDIR as a missing path; naming the file in the way says what is actually wrong.
    private static string Diagnose(string directory)
    {
        for (var path = Path.GetFullPath(directory); !string.IsNullOrEmpty(path); path = Path.GetDirectoryName(path))
        {
            if (File.Exists(path))
                return $" ({path} is a file, not a directory)";
            if (Directory.Exists(path))
                return "";
        }

        return "";
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // The original failure is what the user needs to see.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}
