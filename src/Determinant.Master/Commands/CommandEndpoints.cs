using System.Security.Claims;
using System.Text.Json.Nodes;
using Determinant.Config;
using Determinant.Master.Auth;
using Determinant.Master.Configuration;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Master.Errors;
using Determinant.Master.Experiments;
using Determinant.Master.Tasks;
using Determinant.Protocol.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Determinant.Master.Commands;

/// <summary>
/// <c>/api/v1/commands</c> (create, list, get, kill), <c>GET /api/v1/tasks</c> (every task that is not a trial) and
/// <c>GET /api/v1/tasks/{id}/logs</c>. A user sees and touches only their own tasks; an admin, everyone's.
/// </summary>
internal static class CommandEndpoints
{
    /// <summary>Bounds of a command's entrypoint (its files are bounded as a model definition is).</summary>
    private const int MaxEntrypointArguments = 256;

    private const int MaxEntrypointArgumentLength = 64 * 1024;

    public static void Map(IEndpointRouteBuilder api)
    {
        var commands = api.MapGroup("/commands").WithTags("Commands");
        commands.MapPost("", CreateAsync).WithMetadata(ExperimentEndpoints.ModelDefinitionBodyLimit(api));
        commands.MapGet("", async (ClaimsPrincipal user, MasterDbContext db, CancellationToken ct) =>
            new CommandsResponse(await TaskViews.ListAsync(db, user, TaskType.Command, ct).ConfigureAwait(false)));
        commands.MapGet("/{id}", (string id, ClaimsPrincipal user, MasterDbContext db, CancellationToken ct) => GetAsync(id, TaskType.Command, user, db, ct));
        commands.MapPost("/{id}/kill", (string id, ClaimsPrincipal user, MasterDbContext db, CommandService service, CancellationToken ct) =>
            KillAsync(id, TaskType.Command, user, db, service, ct));

        var notebooks = api.MapGroup("/notebooks").WithTags("Notebooks");
        notebooks.MapPost("", CreateNotebookAsync).WithMetadata(ExperimentEndpoints.ModelDefinitionBodyLimit(api));
        notebooks.MapGet("", async (ClaimsPrincipal user, MasterDbContext db, CancellationToken ct) =>
            new NotebooksResponse(await TaskViews.ListAsync(db, user, TaskType.Notebook, ct).ConfigureAwait(false)));
        notebooks.MapGet("/{id}", async (string id, ClaimsPrincipal user, MasterDbContext db, CancellationToken ct) =>
            Notebook(await GetAsync(id, TaskType.Notebook, user, db, ct).ConfigureAwait(false)));
        notebooks.MapPost("/{id}/kill", async (string id, ClaimsPrincipal user, MasterDbContext db, CommandService service, CancellationToken ct) =>
            Notebook(await KillAsync(id, TaskType.Notebook, user, db, service, ct).ConfigureAwait(false)));

        TensorBoardEndpoints.Map(api);

        var tasks = api.MapGroup("/tasks").WithTags("Tasks");
        tasks.MapGet("", async (ClaimsPrincipal user, MasterDbContext db, CancellationToken ct) =>
            new TasksResponse(await TaskViews.ListAsync(db, user, type: null, ct).ConfigureAwait(false)));
        tasks.MapGet("/{id}", async (string id, ClaimsPrincipal user, MasterDbContext db, CancellationToken ct) =>
            new TaskResponse((await TaskViews.GetAsync(db, user, id, type: null, ct).ConfigureAwait(false)).Task));
        tasks.MapGet("/{id}/logs", LogsAsync);
    }

    internal static async Task<CommandResponse> CreateAsync(
        CreateCommandRequest request, ClaimsPrincipal user, MasterDbContext db, CommandService service, IOptions<MasterOptions> options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var config = LoadConfig(request.ConfigYaml, TaskConfigKind.Command, request.Overrides, "command");
        if (request.Entrypoint is { Count: > 0 } entrypoint)
            config = config with { Entrypoint = entrypoint };
        if (config.Entrypoint is null or { Count: 0 })
            throw new BadRequestException("entrypoint: a command needs something to run (det cmd run CMD [ARG…])");
        if (config.Entrypoint.Count > MaxEntrypointArguments || config.Entrypoint.Any(a => a.Length > MaxEntrypointArgumentLength))
            throw new BadRequestException(
                $"entrypoint: at most {MaxEntrypointArguments} arguments of at most {MaxEntrypointArgumentLength} characters each");
        var context = Context(request.Files, options.Value);
        var description = "Command (" + string.Join(' ', config.Entrypoint).Trim() + ")";
        if (description.Length > 120)
            description = description[..117] + "...";
        var task = await service.CreateAsync(db, user.GetUserId(), TaskType.Command, config, description, context, cancellationToken).ConfigureAwait(false);
        return await GetAsync(task.Id, TaskType.Command, user, db, cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<NotebookResponse> CreateNotebookAsync(
        CreateNotebookRequest request, ClaimsPrincipal user, MasterDbContext db, CommandService service, IOptions<MasterOptions> options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var config = LoadConfig(request.ConfigYaml, TaskConfigKind.Notebook, request.Overrides, "notebook");
        var context = Context(request.Files, options.Value);
        var task = await service.CreateAsync(db, user.GetUserId(), TaskType.Notebook, config, TaskConfigLoader.DefaultDescription(TaskConfigKind.Notebook, Random.Shared), context,
            cancellationToken).ConfigureAwait(false);
        return Notebook(await GetAsync(task.Id, TaskType.Notebook, user, db, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>A task's config from its YAML and <c>--config</c> overrides.</summary>
    /// <exception cref="InvalidConfigException">It breaks a rule; every error names its path.</exception>
    internal static TaskConfig LoadConfig(string? yaml, TaskConfigKind kind, IReadOnlyList<string>? overrides, string what)
    {
        var loaded = TaskConfigLoader.Load(yaml ?? "", kind, overrides);
        return loaded.IsValid ? loaded.Config! : throw new InvalidConfigException([.. loaded.Errors.Select(e => e.ToString())], what);
    }

    private static NotebookResponse Notebook(CommandResponse response) => new(response.Command, response.Config);

    private static byte[]? Context(IReadOnlyList<ModelDefinitionFile>? files, MasterOptions options)
    {
        if (files is not { Count: > 0 })
            return null;
        var packed = ModelDefinitionArchive.Pack(files, options.ModelDefinitionLimitMib);
        return packed.FileCount > 0 ? packed.Archive : null;
    }

    internal static async Task<CommandResponse> GetAsync(string id, TaskType type, ClaimsPrincipal user, MasterDbContext db, CancellationToken cancellationToken)
    {
        var (dto, configJson) = await TaskViews.GetAsync(db, user, id, type, cancellationToken).ConfigureAwait(false);
        return new CommandResponse(dto, configJson is null ? null : JsonNode.Parse(configJson) as JsonObject);
    }

    internal static async Task<CommandResponse> KillAsync(
        string id, TaskType type, ClaimsPrincipal user, MasterDbContext db, CommandService service, CancellationToken cancellationToken)
    {
        await TaskViews.GetAsync(db, user, id, type, cancellationToken).ConfigureAwait(false);
        await service.KillAsync(id, user, cancellationToken).ConfigureAwait(false);
        return await GetAsync(id, type, user, db, cancellationToken).ConfigureAwait(false);
    }

    internal static async Task LogsAsync(string id, HttpContext http, ClaimsPrincipal user, MasterDbContext db, TimeProvider time,
        CancellationToken cancellationToken, bool follow = false, int limit = 0)
    {
        var owner = await db.Tasks.AsNoTracking().Where(t => t.Id == id).Select(t => (int?)t.OwnerId)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false) ?? throw new NotFoundException($"task {id} not found");
        user.RequireOwnerOrAdmin(owner, "task");
        await TaskLogStream.StreamAsync(id, ct => EndedAsync(db, id, ct), http, db, time, follow, limit, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<bool> EndedAsync(MasterDbContext db, string taskId, CancellationToken cancellationToken) =>
        await db.Tasks.AsNoTracking().Where(t => t.Id == taskId).Select(t => t.State).FirstAsync(cancellationToken).ConfigureAwait(false)
            == TaskState.Terminated
        && !await db.Allocations.AsNoTracking().AnyAsync(a => a.TaskId == taskId && a.State != AllocationState.Terminated, cancellationToken).ConfigureAwait(false);
}
