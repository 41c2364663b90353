namespace Determinant.Config;

/// <summary>A reported checkpoint as checkpoint garbage collection sees it: where it sits and the validation it belongs to.</summary>
/// <param name="CheckpointId">The checkpoint's id; larger ids were reported later.</param>
/// <param name="TrialId">The trial that wrote it.</param>
/// <param name="StepsCompleted">Batches trained when it was written.</param>
/// <param name="ValidationId">
/// The validation at the same <paramref name="StepsCompleted"/> in the same trial, if any, as its place in report order
/// (REFERENCE.md §4.4's "validation id": it breaks ties between equal metrics).
/// </param>
/// <param name="SearcherMetric">That validation's searcher metric; null when there is no validation or it lacks the metric.</param>
/// <param name="IsProtected">
/// True when the checkpoint must never be deleted: it is some trial's warm-start source or is registered in the model registry.
/// </param>
public sealed record CheckpointGcCandidate(
    long CheckpointId,
    int TrialId,
    long StepsCompleted,
    long? ValidationId,
    double? SearcherMetric,
    bool IsProtected = false);
