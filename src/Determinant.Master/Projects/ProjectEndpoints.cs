using System.Security.Claims;
using Determinant.Protocol.Api;
using Microsoft.AspNetCore.Mvc;

namespace Determinant.Master.Projects;

/// <summary>Routes under <c>/api/v1/workspaces</c> and <c>/api/v1/projects</c> (shapes as in Determined).</summary>
internal static class ProjectEndpoints
{
    public static void Add(IServiceCollection services) => services.AddScoped<ProjectStore>();

    public static void Map(IEndpointRouteBuilder api)
    {
        var workspaces = api.MapGroup("/workspaces").WithTags("Workspaces");
        workspaces.MapGet("", (ProjectStore s, CancellationToken ct, int offset = 0, int limit = 0) => s.ListWorkspacesAsync(offset, limit, ct));
        workspaces.MapPost("", CreateWorkspaceAsync);
        workspaces.MapGet("/{id:int}", (int id, ProjectStore s, CancellationToken ct) => s.GetWorkspaceAsync(id, ct));
        workspaces.MapGet("/{id:int}/projects", (int id, ProjectStore s, CancellationToken ct, int offset = 0, int limit = 0) =>
            s.ListProjectsAsync(id, offset, limit, ct));
        workspaces.MapPost("/{id:int}/projects", CreateProjectAsync);
        var projects = api.MapGroup("/projects").WithTags("Projects");
        projects.MapGet("/{id:int}", (int id, ProjectStore s, CancellationToken ct) => s.GetProjectAsync(id, ct));
    }

    internal static async Task<IResult> CreateWorkspaceAsync(
        CreateWorkspaceRequest request, ClaimsPrincipal user, ProjectStore store, CancellationToken cancellationToken)
    {
        var created = await store.CreateWorkspaceAsync(request, user, cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/api/v1/workspaces/{created.Workspace.Id}", created);
    }

    internal static async Task<IResult> CreateProjectAsync(
        int id, CreateProjectRequest request, ClaimsPrincipal user, ProjectStore store, CancellationToken cancellationToken)
    {
        var created = await store.CreateProjectAsync(id, request, user, cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/api/v1/projects/{created.Project.Id}", created);
    }
}
