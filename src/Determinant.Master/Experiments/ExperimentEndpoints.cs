using System.Security.Claims;
using Determinant.Master.Checkpoints;
using Determinant.Master.Configuration;
using Determinant.Master.Errors;
using Determinant.Master.Projects;
using Determinant.Master.Trials;
using Determinant.Protocol.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Determinant.Master.Experiments;

/// <summary>Routes under <c>/api/v1/experiments</c>.</summary>
internal static class ExperimentEndpoints
{
    private static readonly string[] Actions = ["activate", "pause", "cancel", "kill", "archive", "unarchive"];

    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/experiments").WithTags("Experiments");
        group.MapPost("", CreateAsync).WithMetadata(ModelDefinitionBodyLimit(api));
        group.MapGet("", ListAsync);
        group.MapGet("/{id:int}", (int id, ExperimentQueries q, CancellationToken ct) => q.GetAsync(id, ct));
        group.MapGet("/{id:int}/trials", (int id, TrialQueries q, CancellationToken ct) => q.ListAsync(id, ct));
        group.MapGet("/{id:int}/checkpoints", CheckpointsAsync);
        group.MapGet("/{id:int}/model_def", (int id, ExperimentQueries q, CancellationToken ct) => q.ModelDefinitionAsync(id, ct));
        foreach (var action in Actions)
            group.MapPost($"/{{id:int}}/{action}", (int id, ClaimsPrincipal user, ExperimentActions a, CancellationToken ct) => ActAsync(id, action, user, a, ct));
        api.MapGet("/projects/{id:int}/experiments", ProjectExperimentsAsync).WithTags("Projects");
        group.MapDelete("/{id:int}", async (int id, ClaimsPrincipal user, ExperimentActions a, CancellationToken ct) =>
        {
            await a.DeleteAsync(id, user, ct).ConfigureAwait(false);
            return TypedResults.NoContent();
        });
    }

    /// <summary>The body limit of routes that carry a model definition: its configured limit, as base64, with headroom.</summary>
    internal static RequestBodyLimit ModelDefinitionBodyLimit(IEndpointRouteBuilder api) =>
        RequestBodyLimit.ModelDefinition(api.ServiceProvider.GetRequiredService<IOptions<MasterOptions>>().Value.ModelDefinitionLimitMib);

    internal static async Task<IResult> CreateAsync(
        CreateExperimentRequest request, ClaimsPrincipal user, ExperimentCreation creation, CancellationToken cancellationToken)
    {
        var response = await creation.CreateAsync(request, user, cancellationToken).ConfigureAwait(false);
        return response.Experiment is { } created
            ? TypedResults.Created($"/api/v1/experiments/{created.Id}", response)
            : TypedResults.Ok(response);
    }

    internal static Task<ExperimentsResponse> ListAsync(
        ExperimentQueries queries, CancellationToken cancellationToken, string? sortBy = null, string? orderBy = null,
        int offset = 0, int limit = 0, bool? archived = null, [FromQuery] string[]? states = null, [FromQuery] string[]? users = null,
        int? projectId = null) =>
        queries.ListAsync(new ExperimentListQuery(sortBy, orderBy, offset, limit, archived, Split(states), Split(users), projectId), cancellationToken);

    /// <summary><c>GET /api/v1/projects/{id}/experiments</c>: the list, in one project (404 for an unknown project).</summary>
    internal static async Task<ExperimentsResponse> ProjectExperimentsAsync(
        int id, ProjectStore store, ExperimentQueries queries, CancellationToken cancellationToken, string? sortBy = null, string? orderBy = null,
        int offset = 0, int limit = 0, bool? archived = null, [FromQuery] string[]? states = null, [FromQuery] string[]? users = null)
    {
        await store.RequireProjectAsync(id, cancellationToken).ConfigureAwait(false);
        return await ListAsync(queries, cancellationToken, sortBy, orderBy, offset, limit, archived, states, users, id).ConfigureAwait(false);
    }

    internal static Task<CheckpointsResponse> CheckpointsAsync(
        int id, CheckpointQueries queries, CancellationToken cancellationToken, string? sortByAttr = null, string? orderBy = null,
        int offset = 0, int limit = 0, [FromQuery] string[]? states = null) =>
        queries.ListForExperimentAsync(id, sortByAttr, orderBy, offset, limit, Split(states), cancellationToken);

    private static async Task<IResult> ActAsync(int id, string action, ClaimsPrincipal user, ExperimentActions actions, CancellationToken cancellationToken)
    {
        await actions.ActAsync(id, action, user, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new Dictionary<string, string>());
    }

    /// <summary>Accepts repeated parameters and comma-separated lists alike.</summary>
    private static List<string> Split(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
}
