namespace Determinant.Searchers;

/// <summary>Train the trial until its total reaches <paramref name="Length"/> searcher units, then validate and report the metric.</summary>
/// <param name="RequestId">The trial.</param>
/// <param name="Length">The absolute target in the unit of the searcher's length (batches, records, epochs or unitless).</param>
public sealed record ValidateAfter(RequestId RequestId, ulong Length) : SearcherOperation;
