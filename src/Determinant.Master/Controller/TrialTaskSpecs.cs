using System.Globalization;
using Determinant.Config;
using Determinant.Master.Configuration;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Master.Domain;
using Determinant.Master.ResourceManagers;
using Determinant.Master.Tasks;
using Determinant.Protocol.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Determinant.Master.Controller;

/// <summary>What a trial's allocation runs: argv for its entrypoint and the environment of REFERENCE.md §7.1.</summary>
internal sealed class TrialTaskSpecs(
    IServiceScopeFactory scopes, ExperimentConfigCache configs, MasterAddress address, IOptions<MasterOptions> options)
{
    public async Task<TaskSpec> BuildAsync(AllocationGrant grant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grant);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
        var trial = await db.Trials.AsNoTracking().SingleAsync(t => t.TaskId == grant.TaskId, cancellationToken).ConfigureAwait(false);
        var experiment = await db.Experiments.AsNoTracking().Where(e => e.Id == trial.ExperimentId)
            .Select(e => new { e.Id, e.ConfigJson, e.Owner }).SingleAsync(cancellationToken).ConfigureAwait(false);
        var clusterId = await db.Cluster.AsNoTracking().OrderBy(c => c.Id).Select(c => c.ClusterId).FirstAsync(cancellationToken).ConfigureAwait(false);
        var latest = await db.Checkpoints.AsNoTracking()
            .Where(c => c.TrialId == trial.Id && c.State == CheckpointState.Completed)
            .OrderByDescending(c => c.StepsCompleted).ThenByDescending(c => c.Id)
            .Select(c => new { c.Uuid, c.StepsCompleted }).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        // An empty model definition is an empty working directory; a small one travels inside the launch.
        var archive = await db.ModelDefinitions.AsNoTracking().Where(m => m.ExperimentId == experiment.Id && m.FileCount > 0)
            .Select(m => new { Size = m.Archive.Length, Inline = m.Archive.Length <= TaskSpec.InlineArchiveLimit ? m.Archive : null })
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        var config = configs.Get(experiment.Id, experiment.ConfigJson);
        var owner = experiment.Owner!;

        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["DET_MASTER"] = address.Url,
            ["DET_CLUSTER_ID"] = clusterId,
            ["DET_TASK_ID"] = grant.TaskId,
            ["DET_ALLOCATION_ID"] = grant.AllocationId,
            ["DET_RESOURCES_ID"] = grant.AllocationId,
            ["DET_TASK_TYPE"] = TaskTypes.Wire(TaskType.Trial),
            ["DET_SESSION_TOKEN"] = grant.Token,
            ["DET_USER"] = owner.Username,
            ["DET_EXPERIMENT_ID"] = Text(experiment.Id),
            ["DET_TRIAL_ID"] = Text(trial.Id),
            ["DET_TRIAL_RUN_ID"] = Text(grant.RunId),
            ["DET_TRIAL_SEED"] = Text(trial.Seed),
            ["DET_HPARAMS"] = trial.HparamsJson,
            ["DET_EXPERIMENT_CONFIG"] = experiment.ConfigJson,
        };
        if (latest is not null)
        {
            env["DET_LATEST_CHECKPOINT"] = latest.Uuid.ToString("D");
            env["DET_STEPS_COMPLETED"] = Text(latest.StepsCompleted);
        }
        else
        {
            if (trial.WarmStartCheckpointUuid is { } warm)
                env["DET_LATEST_CHECKPOINT"] = warm;
            env["DET_STEPS_COMPLETED"] = "0";
        }

        return new TaskSpec(
            TaskTypes.Wire(TaskType.Trial), Argv(config.Entrypoint), env,
            Variables(config.Environment.EnvironmentVariables.Cpu), Variables(config.Environment.EnvironmentVariables.Cuda),
            HasArchive: archive is not null, InlineArchive: archive?.Inline,
            TaskMounts.Of(config.BindMounts, config.CheckpointStorage), Ports: [],
            Limits: TaskCgroupLimits.Of(config.Resources.MemoryLimit, config.Resources.PidsLimit),
            owner.Username, TaskUsers.RunAs(owner), Multiprocess: true);
    }

    /// <summary>The trial's model definition, as stored (a tar.gz); null when it has no file.</summary>
    public async Task<byte[]?> ArchiveAsync(string allocationId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
        return await (
            from a in db.Allocations.AsNoTracking()
            join t in db.Trials on a.TaskId equals t.TaskId
            join m in db.ModelDefinitions on t.ExperimentId equals m.ExperimentId
            where a.Id == allocationId && m.FileCount > 0
            select m.Archive).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    private List<string> Argv(Entrypoint? entrypoint) => entrypoint switch
    {
        { IsTrialClass: true } => ["dotnet", Path.Combine(options.Value.HarnessDirectory, HarnessLocation.RunnerAssembly)],
        { Command: { } command } => ["sh", "-c", command],
        { Argv.Length: > 0 } => [.. entrypoint.Argv],
        _ => throw new InvalidOperationException("the experiment has no entrypoint"),
    };

    /// <summary><c>KEY=VALUE</c> lines as a map (the config checked their form).</summary>
    private static Dictionary<string, string> Variables(IEnumerable<string> lines)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var split = line.IndexOf('=', StringComparison.Ordinal);
            if (split > 0)
                variables[line[..split]] = line[(split + 1)..];
        }
        return variables;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
