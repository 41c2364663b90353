using Determinant.Master.Domain;
using System.Security.Claims;
using Determinant.Master.Auth;
using Determinant.Master.Controller;
using Determinant.Master.Errors;
using Determinant.Master.Experiments;
using Determinant.Protocol.Api;

namespace Determinant.Master.Trials;

/// <summary>Routes under <c>/api/v1/trials</c> for users: metrics, logs and the trial's notes.</summary>
internal static class TrialEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/trials").WithTags("Trials");
        group.MapGet("/{id:int}/metrics", (int id, TrialQueries q, CancellationToken ct, string group = "training") => q.MetricsAsync(id, group, ct))
            .Produces<MetricsResponse>();
        group.MapGet("/{id:int}/logs", TrialLogStream.StreamAsync);
        group.MapPatch("/{id:int}", PatchAsync);
    }

    /// <summary><c>PATCH /api/v1/trials/{id}</c>: new notes; only the experiment's owner or an admin may change them.</summary>
    internal static async Task<TrialResponse> PatchAsync(
        int id, PatchTrialRequest request, ClaimsPrincipal user, ExperimentController controller, TrialQueries trials,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Notes is { } notes)
        {
            var stored = Notes.Check(notes);
            var experimentId = await controller.ExperimentOfTrialAsync(id, cancellationToken).ConfigureAwait(false);
            await controller.RunAsync(experimentId, session =>
            {
                user.RequireOwnerOrAdmin(session.Experiment.OwnerId);
                var trial = session.Trials.Find(t => t.Id == id) ?? throw new NotFoundException($"trial {id} not found");
                trial.Notes = stored;
            }, cancellationToken).ConfigureAwait(false);
        }
        return await trials.GetAsync(id, cancellationToken).ConfigureAwait(false);
    }
}
