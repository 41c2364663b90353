namespace Determinant.Harness.Checkpoints;

/// <summary>The names of the files the harness writes into a checkpoint (REFERENCE.md §4.1, docs/core-api.md).</summary>
internal static class CheckpointFiles
{
    public const string Metadata = "metadata.json";
    public const string LoadSpec = "load.json";
    public const string LoopState = "loop_state.json";
    public const string RngState = "rng_state.bin";
    public const string Code = "code";

    /// <summary>The TorchSharp-format state of the i-th wrapped model (<c>Module.save</c>).</summary>
    public static string Model(int index) => index == 0 ? "model.dat" : $"model_{index}.dat";

    /// <summary>The weights of the i-th wrapped model in the safetensors format, for tools outside .NET.</summary>
    public static string ModelSafetensors(int index) => index == 0 ? "model.safetensors" : $"model_{index}.safetensors";

    /// <summary>The state of the i-th wrapped optimizer (<c>OptimizerHelper.save_state_dict</c>).</summary>
    public static string Optimizer(int index) => index == 0 ? "optimizer.dat" : $"optimizer_{index}.dat";
}
