namespace Determinant.Protocol.Api;

/// <summary>A workspace: a named group of projects.</summary>
/// <param name="Id">The workspace id; 1 is the default <c>Uncategorized</c>.</param>
/// <param name="Name">Unique among workspaces.</param>
/// <param name="UserId">Who created it; null for the default workspace.</param>
/// <param name="Username">That user's name; empty for the default workspace.</param>
/// <param name="Immutable">True for the default workspace, which has no owner.</param>
/// <param name="NumProjects">How many projects it holds.</param>
/// <param name="NumExperiments">How many experiments its projects hold (deleted ones not counted).</param>
public sealed record WorkspaceDto(int Id, string Name, int? UserId, string Username, bool Immutable, int NumProjects, int NumExperiments);

/// <summary>A project: a named group of experiments inside a workspace.</summary>
/// <param name="Id">The project id; 1 is the default <c>Uncategorized</c>.</param>
/// <param name="Name">Unique inside its workspace.</param>
/// <param name="Description">Free text; null when not given.</param>
/// <param name="WorkspaceId">The workspace that holds it.</param>
/// <param name="WorkspaceName">That workspace's name.</param>
/// <param name="UserId">Who created it; null for the default project.</param>
/// <param name="Username">That user's name; empty for the default project.</param>
/// <param name="Immutable">True for the default project, which has no owner.</param>
/// <param name="NumExperiments">How many experiments it holds (deleted ones not counted).</param>
/// <param name="NumActiveExperiments">How many of them are active.</param>
public sealed record ProjectDto(
    int Id, string Name, string? Description, int WorkspaceId, string WorkspaceName, int? UserId, string Username, bool Immutable,
    int NumExperiments, int NumActiveExperiments);

/// <summary><c>POST /api/v1/workspaces</c>.</summary>
public sealed record CreateWorkspaceRequest(string Name);

/// <summary><c>POST /api/v1/workspaces/{id}/projects</c>; the workspace comes from the route.</summary>
public sealed record CreateProjectRequest(string Name, string? Description = null);

/// <summary><c>GET/POST /api/v1/workspaces/{id}</c>.</summary>
public sealed record WorkspaceResponse(WorkspaceDto Workspace);

/// <summary><c>GET /api/v1/workspaces</c>.</summary>
public sealed record WorkspacesResponse(IReadOnlyList<WorkspaceDto> Workspaces, Pagination Pagination);

/// <summary><c>GET /api/v1/projects/{id}</c> and the answer to creating one.</summary>
public sealed record ProjectResponse(ProjectDto Project);

/// <summary><c>GET /api/v1/workspaces/{id}/projects</c>.</summary>
public sealed record ProjectsResponse(IReadOnlyList<ProjectDto> Projects, Pagination Pagination);
