namespace Determinant.Protocol.CoreApi;

/// <summary>Body of <c>POST /api/v1/trials/{id}/searcher/completed_operation</c>: the operation is done, with its searcher metric.</summary>
/// <param name="Op">The operation that was completed.</param>
/// <param name="SearcherMetric">The value of <c>searcher.metric</c> at the operation's target; a non-finite value is sent as a string (<c>"NaN"</c>).</param>
public sealed record CompleteValidateAfterOperationRequest(ValidateAfterOperation Op, double SearcherMetric);
