namespace Determinant.Searchers;

/// <summary>The trial stopped before the searcher closed it.</summary>
/// <param name="RequestId">The trial.</param>
/// <param name="Reason">Why it stopped.</param>
public sealed record TrialExitedEarly(RequestId RequestId, ExitedReason Reason) : SearcherEvent;
