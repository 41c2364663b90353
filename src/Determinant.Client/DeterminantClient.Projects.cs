using System.Net;
using Determinant.Protocol.Api;

namespace Determinant.Client;

public sealed partial class DeterminantClient
{
    /// <summary>Every workspace, the default <c>Uncategorized</c> (id 1) first.</summary>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The workspaces in id order.</returns>
    /// <exception cref="DeterminantApiException">A request failed.</exception>
    public async Task<IReadOnlyList<WorkspaceDto>> ListWorkspacesAsync(CancellationToken cancellationToken = default)
    {
        var all = new List<WorkspaceDto>();
        while (true)
        {
            var page = await _api.GetAsync($"api/v1/workspaces?offset={Id(all.Count)}&limit={Id(PageSize)}", ApiJsonContext.Default.WorkspacesResponse,
                cancellationToken).ConfigureAwait(false);
            all.AddRange(page.Workspaces);
            if (page.Workspaces.Count == 0 || all.Count >= page.Pagination.Total)
                return all;
        }
    }

    /// <summary>One workspace.</summary>
    /// <param name="id">The workspace id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The workspace.</returns>
    /// <exception cref="DeterminantApiException">404 when there is no such workspace.</exception>
    public async Task<WorkspaceDto> GetWorkspaceAsync(int id, CancellationToken cancellationToken = default) =>
        (await _api.GetAsync($"api/v1/workspaces/{Id(id)}", ApiJsonContext.Default.WorkspaceResponse, cancellationToken).ConfigureAwait(false)).Workspace;

    /// <summary>Creates a workspace owned by the caller.</summary>
    /// <param name="name">Unique among workspaces; not empty, no '/', no surrounding spaces.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The new workspace.</returns>
    /// <exception cref="DeterminantApiException">400 for a bad name; 409 when the name is taken.</exception>
    public async Task<WorkspaceDto> CreateWorkspaceAsync(string name, CancellationToken cancellationToken = default) =>
        (await _api.PostAsync("api/v1/workspaces", new CreateWorkspaceRequest(name), ApiJsonContext.Default.CreateWorkspaceRequest,
            ApiJsonContext.Default.WorkspaceResponse, cancellationToken).ConfigureAwait(false)).Workspace;

    /// <summary>The projects of a workspace.</summary>
    /// <param name="workspaceId">The workspace id.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The projects in id order.</returns>
    /// <exception cref="DeterminantApiException">404 when there is no such workspace.</exception>
    public async Task<IReadOnlyList<ProjectDto>> ListProjectsAsync(int workspaceId, CancellationToken cancellationToken = default)
    {
        var all = new List<ProjectDto>();
        while (true)
        {
            var page = await _api.GetAsync($"api/v1/workspaces/{Id(workspaceId)}/projects?offset={Id(all.Count)}&limit={Id(PageSize)}",
                ApiJsonContext.Default.ProjectsResponse, cancellationToken).ConfigureAwait(false);
            all.AddRange(page.Projects);
            if (page.Projects.Count == 0 || all.Count >= page.Pagination.Total)
                return all;
        }
    }

    /// <summary>One project.</summary>
    /// <param name="id">The project id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The project.</returns>
    /// <exception cref="DeterminantApiException">404 when there is no such project.</exception>
    public async Task<ProjectDto> GetProjectAsync(int id, CancellationToken cancellationToken = default) =>
        (await _api.GetAsync($"api/v1/projects/{Id(id)}", ApiJsonContext.Default.ProjectResponse, cancellationToken).ConfigureAwait(false)).Project;

    /// <summary>Creates a project in a workspace; the workspace's owner or an admin may.</summary>
    /// <param name="workspaceId">The workspace id.</param>
    /// <param name="name">Unique in the workspace; not empty, no '/', no surrounding spaces.</param>
    /// <param name="description">Free text; null for none.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The new project.</returns>
    /// <exception cref="DeterminantApiException">400 for a bad name; 403 when not allowed; 404 for no such workspace; 409 when the name is taken.</exception>
    public async Task<ProjectDto> CreateProjectAsync(int workspaceId, string name, string? description = null, CancellationToken cancellationToken = default) =>
        (await _api.PostAsync($"api/v1/workspaces/{Id(workspaceId)}/projects", new CreateProjectRequest(name, description),
            ApiJsonContext.Default.CreateProjectRequest, ApiJsonContext.Default.ProjectResponse, cancellationToken).ConfigureAwait(false)).Project;

    /// <summary>A workspace by its exact name.</summary>
    /// <param name="name">The workspace's name.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The workspace.</returns>
    /// <exception cref="DeterminantApiException">With <see cref="HttpStatusCode.NotFound"/> when no workspace has that name.</exception>
    public async Task<WorkspaceDto> FindWorkspaceAsync(string name, CancellationToken cancellationToken = default) =>
        (await ListWorkspacesAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(w => w.Name == name)
        ?? throw new DeterminantApiException($"workspace '{name}' not found", HttpStatusCode.NotFound);

    /// <summary>A project by its workspace's name and its own, as in <c>det experiment create --project WORKSPACE/PROJECT</c>.</summary>
    /// <param name="workspaceName">The workspace's exact name.</param>
    /// <param name="projectName">The project's exact name.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The project.</returns>
    /// <exception cref="DeterminantApiException">With <see cref="HttpStatusCode.NotFound"/> naming what is missing, the workspace or the project.</exception>
    public async Task<ProjectDto> FindProjectAsync(string workspaceName, string projectName, CancellationToken cancellationToken = default)
    {
        var workspace = await FindWorkspaceAsync(workspaceName, cancellationToken).ConfigureAwait(false);
        return (await ListProjectsAsync(workspace.Id, cancellationToken).ConfigureAwait(false)).FirstOrDefault(p => p.Name == projectName)
            ?? throw new DeterminantApiException($"project '{projectName}' not found in workspace '{workspaceName}'", HttpStatusCode.NotFound);
    }
}
