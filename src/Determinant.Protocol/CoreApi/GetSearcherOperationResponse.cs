namespace Determinant.Protocol.CoreApi;

/// <summary>Answer of <c>GET /api/v1/trials/{id}/searcher/operation</c>.</summary>
/// <param name="Op">The operation to run next; null when <paramref name="Completed"/>.</param>
/// <param name="Completed">True when there is no operation now: the searcher is waiting or has closed the trial.</param>
public sealed record GetSearcherOperationResponse(SearcherOperation? Op, bool Completed);
