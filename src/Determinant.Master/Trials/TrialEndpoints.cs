using Determinant.Protocol.Api;

namespace Determinant.Master.Trials;

/// <summary>Read routes under <c>/api/v1/trials</c> for users.</summary>
internal static class TrialEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/trials").WithTags("Trials");
        group.MapGet("/{id:int}/metrics", (int id, TrialQueries q, CancellationToken ct, string group = "training") => q.MetricsAsync(id, group, ct))
            .Produces<MetricsResponse>();
        group.MapGet("/{id:int}/logs", TrialLogStream.StreamAsync);
    }
}
