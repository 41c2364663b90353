using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Determinant.Harness.Hosting;
using Determinant.Harness.Loop;
using static TorchSharp.torch;

namespace Determinant.Harness.Checkpoints;

/// <summary>
/// Writes a trial-class checkpoint (REFERENCE.md §4.1): the wrapped models, optimizers, RNG and loop state, how to reload
/// the trial, and a copy of the model definition, atomically through <see cref="CheckpointDirectory"/>.
/// </summary>
internal sealed class CheckpointWriter(CheckpointSettings settings)
{
    public const string Framework = "torchsharp-0.107";
    public const string Format = "torchsharp";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <exception cref="IOException">The storage directory cannot be written; the message names the path and the system's reason.</exception>
    public Task<WrittenCheckpoint> WriteAsync(TorchTrial trial, TrainingState state, CancellationToken cancellationToken) =>
        CheckpointDirectory.WriteAsync(settings.BaseDirectory, settings.NewUuid().ToString(), Metadata(state), (partial, _) =>
        {
            WriteState(trial, state, partial);
            File.WriteAllText(Path.Combine(partial, CheckpointFiles.LoadSpec), LoadSpec().ToJsonString(Indented));
            CopyModelDefinition(Path.Combine(partial, CheckpointFiles.Code));
            return Task.CompletedTask;
        }, cancellationToken);

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

    /// <summary>The <c>determinant_version</c> written into every checkpoint's metadata.</summary>
    public static string Version =>
        typeof(CheckpointWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    private JsonObject Metadata(TrainingState state) => new()
    {
        ["steps_completed"] = state.StepsCompleted,
        ["framework"] = Framework,
        ["format"] = Format,
        ["determinant_version"] = Version,
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
}
