namespace Determinant.Searchers;

/// <summary>The trial finished <paramref name="Operation"/> and reported the searcher metric.</summary>
/// <param name="RequestId">The trial.</param>
/// <param name="Metric">The searcher metric as reported (the searcher handles <c>smaller_is_better</c>).</param>
/// <param name="Operation">The operation that completed.</param>
public sealed record ValidationCompleted(RequestId RequestId, double Metric, ValidateAfter Operation) : SearcherEvent;
