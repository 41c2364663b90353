using System.Security.Claims;
using Determinant.Master.Auth;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Master.Errors;
using Determinant.Protocol.Api;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Projects;

/// <summary>
/// Workspaces and projects: reads, creation, and who may put experiments where.
/// </summary>
/// <remarks>
/// Rules (no RBAC, as in Determined without it): every user sees every workspace and project. Any user may create a
/// workspace and owns it. A project may be created by its workspace's owner or an admin (the default workspace has no
/// owner: admins only). An experiment may be submitted into a project by the project's owner, its workspace's owner
/// or an admin; the default project <c>Uncategorized</c> takes everyone's.
/// </remarks>
internal sealed class ProjectStore(MasterDbContext db, TimeProvider time)
{
    private const int MaxNameLength = 128;

    public async Task<WorkspacesResponse> ListWorkspacesAsync(int offset, int limit, CancellationToken cancellationToken)
    {
        var total = await db.Workspaces.CountAsync(cancellationToken).ConfigureAwait(false);
        (offset, limit) = Page(offset, limit);
        var rows = await WorkspaceRows(db.Workspaces.OrderBy(w => w.Id).Skip(offset).Take(limit)).ToListAsync(cancellationToken).ConfigureAwait(false);
        return new WorkspacesResponse(rows, new Pagination(offset, limit, Math.Min(offset, total), Math.Min(offset + rows.Count, total), total));
    }

    public async Task<WorkspaceResponse> GetWorkspaceAsync(int id, CancellationToken cancellationToken) =>
        new(await WorkspaceRows(db.Workspaces.Where(w => w.Id == id)).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false)
            ?? throw WorkspaceNotFound(id));

    public async Task<WorkspaceResponse> CreateWorkspaceAsync(CreateWorkspaceRequest request, ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = CheckName(request.Name, "name");
        if (await db.Workspaces.AnyAsync(w => w.Name == name, cancellationToken).ConfigureAwait(false))
            throw new ConflictException($"workspace '{name}' already exists");
        var workspace = new WorkspaceEntity { Name = name, OwnerId = principal.GetUserId(), CreatedAt = time.GetUtcNow().UtcDateTime };
        db.Workspaces.Add(workspace);
        await SaveAsync($"workspace '{name}' already exists", cancellationToken).ConfigureAwait(false);
        return await GetWorkspaceAsync(workspace.Id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ProjectsResponse> ListProjectsAsync(int workspaceId, int offset, int limit, CancellationToken cancellationToken)
    {
        if (!await db.Workspaces.AnyAsync(w => w.Id == workspaceId, cancellationToken).ConfigureAwait(false))
            throw WorkspaceNotFound(workspaceId);
        var projects = db.Projects.Where(p => p.WorkspaceId == workspaceId);
        var total = await projects.CountAsync(cancellationToken).ConfigureAwait(false);
        (offset, limit) = Page(offset, limit);
        var rows = await ProjectRows(projects.OrderBy(p => p.Id).Skip(offset).Take(limit)).ToListAsync(cancellationToken).ConfigureAwait(false);
        return new ProjectsResponse(rows, new Pagination(offset, limit, Math.Min(offset, total), Math.Min(offset + rows.Count, total), total));
    }

    public async Task<ProjectResponse> GetProjectAsync(int id, CancellationToken cancellationToken) =>
        new(await ProjectRows(db.Projects.Where(p => p.Id == id)).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false)
            ?? throw ProjectNotFound(id));

    public async Task<ProjectResponse> CreateProjectAsync(
        int workspaceId, CreateProjectRequest request, ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var workspace = await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Id == workspaceId, cancellationToken).ConfigureAwait(false)
            ?? throw WorkspaceNotFound(workspaceId);
        if (!principal.IsAdmin() && (workspace.OwnerId is not { } owner || owner != principal.GetUserId()))
            throw new ForbiddenException($"only the owner of workspace '{workspace.Name}' or an admin may create projects in it");
        var name = CheckName(request.Name, "name");
        if (await db.Projects.AnyAsync(p => p.WorkspaceId == workspaceId && p.Name == name, cancellationToken).ConfigureAwait(false))
            throw new ConflictException($"project '{name}' already exists in workspace '{workspace.Name}'");
        var project = new ProjectEntity
        {
            Name = name,
            Description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description,
            WorkspaceId = workspaceId,
            OwnerId = principal.GetUserId(),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.Projects.Add(project);
        await SaveAsync($"project '{name}' already exists in workspace '{workspace.Name}'", cancellationToken).ConfigureAwait(false);
        return await GetProjectAsync(project.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The project an experiment is submitted into, once the caller is known to be allowed to.</summary>
    /// <exception cref="NotFoundException">There is no such project.</exception>
    /// <exception cref="ForbiddenException">The caller may not submit into it.</exception>
    public async Task<ProjectEntity> RequireSubmitAsync(int projectId, ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var project = await db.Projects.AsNoTracking().Include(p => p.Workspace).FirstOrDefaultAsync(p => p.Id == projectId, cancellationToken)
            .ConfigureAwait(false) ?? throw ProjectNotFound(projectId);
        if (project.Id == ProjectEntity.UncategorizedId || principal.IsAdmin())
            return project;
        var user = principal.GetUserId();
        if (project.OwnerId == user || project.Workspace!.OwnerId == user)
            return project;
        throw new ForbiddenException(
            $"only the owner of project {projectId} ('{project.Workspace!.Name}/{project.Name}'), the owner of its workspace or an admin may submit experiments into it");
    }

    /// <summary>404 unless the project exists.</summary>
    public async Task RequireProjectAsync(int id, CancellationToken cancellationToken)
    {
        if (!await db.Projects.AnyAsync(p => p.Id == id, cancellationToken).ConfigureAwait(false))
            throw ProjectNotFound(id);
    }

    public static NotFoundException ProjectNotFound(int id) => new($"project {id} not found");

    private static NotFoundException WorkspaceNotFound(int id) => new($"workspace {id} not found");

    private IQueryable<WorkspaceDto> WorkspaceRows(IQueryable<WorkspaceEntity> workspaces) => workspaces.AsNoTracking().Select(w => new WorkspaceDto(
        w.Id, w.Name, w.OwnerId, w.Owner == null ? "" : w.Owner.Username, w.OwnerId == null, w.Projects.Count,
        db.Experiments.Count(e => e.Project!.WorkspaceId == w.Id && e.State != ExperimentState.Deleted)));

    private IQueryable<ProjectDto> ProjectRows(IQueryable<ProjectEntity> projects) => projects.AsNoTracking().Select(p => new ProjectDto(
        p.Id, p.Name, p.Description, p.WorkspaceId, p.Workspace!.Name, p.OwnerId, p.Owner == null ? "" : p.Owner.Username, p.OwnerId == null,
        db.Experiments.Count(e => e.ProjectId == p.Id && e.State != ExperimentState.Deleted),
        db.Experiments.Count(e => e.ProjectId == p.Id && e.State == ExperimentState.Active)));

    /// <summary>Saves; a unique index hit by a concurrent creation is the same conflict the check above reports.</summary>
    private async Task SaveAsync(string conflict, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException e)
        {
            throw new ConflictException(conflict + $" ({e.InnerException?.Message ?? e.Message})");
        }
    }

    /// <summary>A name is non-empty, has no surrounding spaces and no '/' (the CLI names projects as WORKSPACE/PROJECT).</summary>
    private static string CheckName(string? name, string field)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new BadRequestException($"{field} must not be empty");
        if (name.Trim() != name)
            throw new BadRequestException($"{field} '{name}' must not start or end with spaces");
        if (name.Contains('/', StringComparison.Ordinal))
            throw new BadRequestException($"{field} '{name}' must not contain '/'");
        if (name.Length > MaxNameLength)
            throw new BadRequestException($"{field} must be at most {MaxNameLength} characters long (it is {name.Length})");
        return name;
    }

    private static (int Offset, int Limit) Page(int offset, int limit) => (Math.Max(0, offset), limit <= 0 ? 200 : Math.Min(limit, 1000));
}
