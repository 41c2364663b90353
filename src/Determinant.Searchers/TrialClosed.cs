namespace Determinant.Searchers;

/// <summary>The trial reached a terminal state.</summary>
/// <param name="RequestId">The trial.</param>
public sealed record TrialClosed(RequestId RequestId) : SearcherEvent;
