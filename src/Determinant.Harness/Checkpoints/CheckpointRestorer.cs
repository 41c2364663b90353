using System.Text.Json;
using Determinant.Harness.Hosting;
using Determinant.Harness.Loop;
using static TorchSharp.torch;

namespace Determinant.Harness.Checkpoints;

/// <summary>Loads a checkpoint into a freshly built trial: everything for a resume, only the weights for a warm start (REFERENCE.md §4.2).</summary>
internal static class CheckpointRestorer
{
    /// <summary>Restores models, learning-rate schedulers, optimizers, the torch RNG and the loop state.</summary>
    /// <exception cref="InvalidDataException">The checkpoint does not match the trial (other models or optimizers) or its steps.</exception>
    public static TrainingState Resume(TorchTrial trial, string directory, ulong stepsCompleted)
    {
        var statePath = Path.Combine(directory, CheckpointFiles.LoopState);
        var state = JsonSerializer.Deserialize(File.ReadAllText(statePath), HarnessJsonContext.Default.TrainingState)
            ?? throw new InvalidDataException($"{statePath} is empty");
        if (state.StepsCompleted != stepsCompleted)
            throw new InvalidDataException($"checkpoint {directory} holds {state.StepsCompleted} steps, but DET_STEPS_COMPLETED is {stepsCompleted}");
        LoadWeights(trial, directory);
        if (state.SchedulerSteps.Count != trial.Schedulers.Count)
            throw new InvalidDataException($"checkpoint {directory} has {state.SchedulerSteps.Count} learning-rate scheduler(s); the trial wrapped {trial.Schedulers.Count}");
        // Replayed before the optimizers load, so the optimizers' saved learning rates are the ones that stay.
        for (var i = 0; i < trial.Schedulers.Count; i++)
            trial.Schedulers[i].Replay(state.SchedulerSteps[i]);
        for (var i = 0; i < trial.Optimizers.Count; i++)
            trial.Optimizers[i].load_state_dict(Existing(directory, CheckpointFiles.Optimizer(i), "optimizer"));
        using (var rng = tensor(File.ReadAllBytes(Path.Combine(directory, CheckpointFiles.RngState)), ScalarType.Byte))
            set_rng_state(rng);
        state.LastCheckpointSteps = state.StepsCompleted;
        return state;
    }

    /// <summary>Loads only the models' weights; training starts at step 0 (warm start).</summary>
    public static void WarmStart(TorchTrial trial, string directory) => LoadWeights(trial, directory);

    private static void LoadWeights(TorchTrial trial, string directory)
    {
        for (var i = 0; i < trial.Models.Count; i++)
            trial.Models[i].load(Existing(directory, CheckpointFiles.Model(i), "model"));
    }

    private static string Existing(string directory, string file, string what)
    {
        var path = Path.Combine(directory, file);
        return File.Exists(path) ? path : throw new InvalidDataException($"checkpoint {directory} has no {file}: the trial wraps more {what}s than the checkpoint holds");
    }
}
