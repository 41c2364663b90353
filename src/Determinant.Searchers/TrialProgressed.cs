namespace Determinant.Searchers;

/// <summary>The trial reported how far it has trained (what <see cref="Searcher.SetProgress"/> receives).</summary>
/// <param name="RequestId">The trial.</param>
/// <param name="Units">Total units trained, in searcher units.</param>
public sealed record TrialProgressed(RequestId RequestId, double Units) : SearcherEvent;
