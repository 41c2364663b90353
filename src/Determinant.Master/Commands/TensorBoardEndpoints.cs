using System.Security.Claims;
using Determinant.Config;
using Determinant.Master.Auth;
using Determinant.Master.Configuration;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Master.Errors;
using Determinant.Protocol.Api;
using Microsoft.Extensions.Options;

namespace Determinant.Master.Commands;

/// <summary>
/// <c>/api/v1/tensorboards</c> (create, list, get, kill). A TensorBoard reads the event files of any experiment its
/// owner may see; it runs on an agent that has a <c>tensorboard</c> executable, and where none has one the create fails
/// at once, naming what is missing.
/// </summary>
internal static class TensorBoardEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var tensorboards = api.MapGroup("/tensorboards").WithTags("TensorBoards");
        tensorboards.MapPost("", CreateAsync);
        tensorboards.MapGet("", async (ClaimsPrincipal user, MasterDbContext db, CancellationToken ct) =>
            new TensorboardsResponse(await TaskViews.ListAsync(db, user, TaskType.Tensorboard, ct).ConfigureAwait(false)));
        tensorboards.MapGet("/{id}", async (string id, ClaimsPrincipal user, MasterDbContext db, CancellationToken ct) =>
            Tensorboard(await CommandEndpoints.GetAsync(id, TaskType.Tensorboard, user, db, ct).ConfigureAwait(false)));
        tensorboards.MapPost("/{id}/kill", async (string id, ClaimsPrincipal user, MasterDbContext db, CommandService service, CancellationToken ct) =>
            Tensorboard(await CommandEndpoints.KillAsync(id, TaskType.Tensorboard, user, db, service, ct).ConfigureAwait(false)));
    }

    internal static async Task<TensorboardResponse> CreateAsync(
        CreateTensorboardRequest request, ClaimsPrincipal user, MasterDbContext db, CommandService service, IOptions<MasterOptions> options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var config = CommandEndpoints.LoadConfig(request.ConfigYaml, TaskConfigKind.Tensorboard, request.Overrides, "TensorBoard");
        if (config.IdleTimeout is null)
            config = config with { IdleTimeout = TimeSpan.FromSeconds(options.Value.TensorboardTimeoutSeconds) };
        var sources = await TensorBoardSources.ResolveAsync(db, request.ExperimentIds, request.TrialIds, cancellationToken).ConfigureAwait(false);
        var task = await service.CreateAsync(db, user.GetUserId(), TaskType.Tensorboard, config,
            TaskConfigLoader.DefaultDescription(TaskConfigKind.Tensorboard, Random.Shared), context: null, cancellationToken, sources).ConfigureAwait(false);
        return Tensorboard(await CommandEndpoints.GetAsync(task.Id, TaskType.Tensorboard, user, db, cancellationToken).ConfigureAwait(false));
    }

    private static TensorboardResponse Tensorboard(CommandResponse response) => new(response.Command, response.Config);
}
