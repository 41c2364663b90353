using Determinant.Config;
using Determinant.Master.Auth;
using Determinant.Master.Configuration;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Master.ResourceManagers;
using Determinant.Master.Tasks;
using Determinant.Protocol.Agent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Determinant.Master.Commands;

/// <summary>
/// What a command's allocation runs: its entrypoint in the files of its context directory, with the owner's
/// environment — <c>DET_MASTER</c>, <c>DET_USER</c> and a user token for the task alone (<c>DET_USER_TOKEN</c>, revoked
/// when the task ends) — beside the task variables of REFERENCE.md §7.1. The context is kept as a tar.gz in the
/// master's data directory until the task ends.
/// </summary>
internal sealed class CommandSpecs(IServiceScopeFactory scopes, MasterAddress address, IOptions<MasterOptions> options, TimeProvider time)
{
    private string ContextDirectory => Path.Combine(options.Value.DataDir, "task-contexts");

    public async Task<TaskSpec> BuildAsync(AllocationGrant grant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grant);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
        var task = await db.Tasks.AsNoTracking().Include(t => t.Owner).SingleAsync(t => t.Id == grant.TaskId, cancellationToken).ConfigureAwait(false);
        var clusterId = await db.Cluster.AsNoTracking().OrderBy(c => c.Id).Select(c => c.ClusterId).FirstAsync(cancellationToken).ConfigureAwait(false);
        var config = TaskConfigJson.Read(task.ConfigJson ?? "{}");
        var owner = task.Owner!;

        var userToken = UserTokens.Issue(db, owner.Id, time.GetUtcNow().UtcDateTime, options.Value.TokenLifetimeHours, task.Id);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);

        var env = new Dictionary<string, string>(config.EnvironmentVariables, StringComparer.Ordinal)
        {
            ["DET_MASTER"] = address.Url,
            ["DET_CLUSTER_ID"] = clusterId,
            ["DET_TASK_ID"] = task.Id,
            ["DET_ALLOCATION_ID"] = grant.AllocationId,
            ["DET_RESOURCES_ID"] = grant.AllocationId,
            ["DET_TASK_TYPE"] = TaskTypes.Wire(task.Type),
            ["DET_SESSION_TOKEN"] = grant.Token,
            ["DET_USER"] = owner.Username,
            ["DET_USER_TOKEN"] = userToken,
        };
        IReadOnlyList<string> argv;
        IReadOnlyList<TaskPort> ports = [];
        var mounts = TaskMounts.Of(config.BindMounts, storage: null);
        if (task.Type == TaskType.Tensorboard)
        {
            var sources = TensorBoardSources.FromJson(task.SourcesJson) ?? throw new InvalidOperationException($"TensorBoard {task.Id} has no trials");
            argv = TensorBoardArgv;
            ports = [new TaskPort("tensorboard", "DET_TASK_PORT")];
            env["DET_TENSORBOARD_LOGDIR_SPEC"] = sources.LogdirSpec();
            mounts = [.. mounts, .. sources.MountDirectories().Where(d => mounts.All(m => m.ContainerPath != d)).Select(d => new TaskMount(d, d, ReadOnly: true))];
        }
        else if (task.Type == TaskType.Notebook)
        {
            argv = NotebookArgv;
            ports = [new TaskPort("notebook", "DET_TASK_PORT")];
            env["JUPYTER_TOKEN"] = task.ServiceToken ?? throw new InvalidOperationException($"notebook {task.Id} has no service token");
        }
        else
        {
            argv = Argv(config.Entrypoint);
        }
        var context = ContextPath(task.Id);
        var hasArchive = File.Exists(context);
        var inline = hasArchive && new FileInfo(context).Length <= TaskSpec.InlineArchiveLimit
            ? await File.ReadAllBytesAsync(context, cancellationToken).ConfigureAwait(false) : null;
        return new TaskSpec(
            TaskTypes.Wire(task.Type), argv, env, CpuEnv: new Dictionary<string, string>(), CudaEnv: new Dictionary<string, string>(),
            hasArchive, inline, mounts, ports, TaskCgroupLimits.Of(config.MemoryLimit, config.PidsLimit),
            owner.Username, TaskUsers.RunAs(owner), Multiprocess: false);
    }

    /// <summary>
    /// Debian's <c>jupyter-notebook</c> on the address and port the agent chose, under the proxy's prefix, with the task's
    /// token (<c>JUPYTER_TOKEN</c>, which the proxy adds to every request) and its Jupyter state in the working directory.
    /// </summary>
    internal static readonly IReadOnlyList<string> NotebookArgv =
    [
        "sh", "-c",
        """
        state="$PWD/.jupyter"
        export JUPYTER_CONFIG_DIR="$state/config" JUPYTER_DATA_DIR="$state/data" JUPYTER_RUNTIME_DIR="$state/runtime" IPYTHONDIR="$state/ipython"
        exec jupyter-notebook --no-browser --allow-root --ip="$DET_TASK_HOST" --port="$DET_TASK_PORT" --NotebookApp.port_retries=0 \
          --NotebookApp.base_url="/proxy/$DET_TASK_ID/" --NotebookApp.allow_remote_access=True --notebook-dir="$PWD"
        """,
    ];

    /// <summary>
    /// TensorBoard (the agent's, <c>DET_TENSORBOARD_PATH</c>) over the trials' event directories, on the address and port
    /// the agent chose, under the proxy's prefix; the runs come in <c>DET_TENSORBOARD_LOGDIR_SPEC</c>, so no path is
    /// ever parsed by the shell.
    /// </summary>
    internal static readonly IReadOnlyList<string> TensorBoardArgv =
    [
        "sh", "-c",
        """
        exec "${DET_TENSORBOARD_PATH:-tensorboard}" --logdir_spec "$DET_TENSORBOARD_LOGDIR_SPEC" --host "$DET_TASK_HOST" --port "$DET_TASK_PORT" \
          --path_prefix "/proxy/$DET_TASK_ID" --reload_interval 5
        """,
    ];

    /// <summary>A single entry runs through the shell (<c>det cmd run 'a | b'</c>); several are the program and its arguments.</summary>
    internal static IReadOnlyList<string> Argv(IReadOnlyList<string>? entrypoint) => entrypoint switch
    {
        null or [] => throw new InvalidOperationException("the command has no entrypoint"),
        [var line] => ["sh", "-c", line],
        _ => entrypoint,
    };

    public async Task SaveContextAsync(string taskId, byte[] archive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(archive);
        Directory.CreateDirectory(ContextDirectory);
        var path = ContextPath(taskId);
        await File.WriteAllBytesAsync(path + ".tmp", archive, cancellationToken).ConfigureAwait(false);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    public async Task<byte[]?> ArchiveAsync(string allocationId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
        var taskId = await db.Allocations.AsNoTracking().Where(a => a.Id == allocationId).Select(a => a.TaskId)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (taskId is null || !File.Exists(ContextPath(taskId)))
            return null;
        return await File.ReadAllBytesAsync(ContextPath(taskId), cancellationToken).ConfigureAwait(false);
    }

    public void DeleteContext(string taskId)
    {
        if (File.Exists(ContextPath(taskId)))
            File.Delete(ContextPath(taskId));
    }

    // Task ids are UUIDs the master made; never a path from a request.
    private string ContextPath(string taskId) => Path.Combine(ContextDirectory, Guid.Parse(taskId).ToString("D") + ".tar.gz");
}
