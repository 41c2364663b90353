namespace Determinant.Protocol.CoreApi;

/// <summary>Answer of <c>GET /api/v1/experiments/{id}/searcher/best_searcher_validation_metric</c>; the route answers 404 when there is none yet.</summary>
/// <param name="Metric">The best searcher metric reported by any trial of the experiment so far.</param>
public sealed record BestSearcherValidationMetricResponse(double Metric);
