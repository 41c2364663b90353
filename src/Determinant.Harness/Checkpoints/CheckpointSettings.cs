using System.Text.Json.Nodes;

namespace Determinant.Harness.Checkpoints;

/// <summary>What the checkpoint writer needs besides the trial: where to write, what to copy, and what to describe.</summary>
internal sealed record CheckpointSettings(
    string BaseDirectory,
    string ModelDefinitionDirectory,
    int ExperimentId,
    int TrialId,
    string ExperimentConfigJson,
    JsonObject Hyperparameters,
    string TrialClassSpec,
    Func<Guid> NewUuid);
