namespace Determinant.Searchers;

/// <summary>No more work for this trial: once its current operation is complete it stops gracefully.</summary>
/// <param name="RequestId">The trial.</param>
public sealed record CloseTrial(RequestId RequestId) : SearcherOperation;
