using Determinant.Master.Domain;
using Determinant.Master.Configuration;
using System.Globalization;
using Determinant.Config;
using Determinant.Master.Agents;
using Determinant.Master.Controller;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Master.Hosting;
using Determinant.Protocol.Agent;
using Determinant.Protocol.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Determinant.Master.Scheduling;

/// <summary>Builds a trial allocation's launch command: argv for its entrypoint and the environment of REFERENCE §7.1.</summary>
internal sealed class LaunchCommandBuilder(
    IServiceScopeFactory scopes, ExperimentConfigCache configs, MasterAddress address, IOptions<MasterOptions> options)
{
    /// <summary>Model definitions up to this size travel inside the command, which saves the agent a request.</summary>
    private const int InlineArchiveLimit = 512 * 1024;

    /// <summary>The launch of share <paramref name="share"/> of <paramref name="placement"/>, whose agents are <paramref name="agents"/> in share order.</summary>
    public async Task<LaunchCommand> BuildAsync(
        AllocationGrant grant, Placement placement, int share, IReadOnlyList<ConnectedAgent?> agents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentNullException.ThrowIfNull(placement);
        ArgumentNullException.ThrowIfNull(agents);
        var agent = agents[share] ?? throw new InvalidOperationException($"agent {placement.Shares[share].AgentId} is gone");
        var slotIds = placement.Shares[share].SlotIds;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
        var trial = await db.Trials.AsNoTracking().SingleAsync(t => t.Id == grant.TrialId, cancellationToken).ConfigureAwait(false);
        var experiment = await db.Experiments.AsNoTracking().Where(e => e.Id == trial.ExperimentId)
            .Select(e => new { e.Id, e.ConfigJson, Owner = e.Owner!.Username }).SingleAsync(cancellationToken).ConfigureAwait(false);
        var clusterId = await db.Cluster.AsNoTracking().OrderBy(c => c.Id).Select(c => c.ClusterId).FirstAsync(cancellationToken).ConfigureAwait(false);
        var latest = await db.Checkpoints.AsNoTracking()
            .Where(c => c.TrialId == trial.Id && c.State == CheckpointState.Completed)
            .OrderByDescending(c => c.StepsCompleted).ThenByDescending(c => c.Id)
            .Select(c => new { c.Uuid, c.StepsCompleted }).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        // An empty model definition is an empty working directory.
        var archive = await db.ModelDefinitions.AsNoTracking().Where(m => m.ExperimentId == experiment.Id && m.FileCount > 0)
            .Select(m => m.Archive).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        var config = configs.Get(experiment.Id, experiment.ConfigJson);

        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["DET_MASTER"] = address.Url,
            ["DET_CLUSTER_ID"] = clusterId,
            ["DET_TASK_ID"] = grant.TaskId,
            ["DET_ALLOCATION_ID"] = grant.AllocationId,
            ["DET_RESOURCES_ID"] = grant.AllocationId,
            ["DET_TASK_TYPE"] = "TRIAL",
            ["DET_SESSION_TOKEN"] = grant.Token,
            ["DET_USER"] = experiment.Owner,
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
        var firstRank = AddRanks(env, placement, share, agents[0]);
        var cuda = slotIds.Any(i => agent.Slots.Any(s => s.Index == i && s.Type == SlotTypes.Cuda));
        foreach (var variable in cuda ? config.Environment.EnvironmentVariables.Cuda : config.Environment.EnvironmentVariables.Cpu)
        {
            var split = variable.IndexOf('=', StringComparison.Ordinal);
            if (split > 0)
                env[variable[..split]] = variable[(split + 1)..];
        }

        return new LaunchCommand(
            grant.AllocationId, grant.TaskId, "TRIAL", slotIds, Argv(config.Entrypoint), env,
            ModelDefinition(archive, agent.Id, grant.AllocationId), RankId: firstRank, User: experiment.Owner);
    }

    private List<string> Argv(Entrypoint? entrypoint) => entrypoint switch
    {
        { IsTrialClass: true } => ["dotnet", Path.Combine(options.Value.HarnessDirectory, HarnessLocation.RunnerAssembly)],
        { Command: { } command } => ["sh", "-c", command],
        { Argv.Length: > 0 } => [.. entrypoint.Argv],
        _ => throw new InvalidOperationException("the experiment has no entrypoint"),
    };

    private static ModelDefinitionSource? ModelDefinition(byte[]? archive, string agentId, string allocationId) =>
        archive is null ? null
        : archive.Length <= InlineArchiveLimit ? new ModelDefinitionSource(TarGzBase64: Convert.ToBase64String(archive))
        : new ModelDefinitionSource(Url: "/" + AgentRoutes.ModelDefinition(agentId, allocationId));

    /// <summary>
    /// One launch per agent starts that agent's ranks (docs/distributed.md): share i is node i of the gang, its workers
    /// are ranks <c>firstRank … firstRank + LOCAL_WORLD_SIZE − 1</c>, and a gang across agents names the chief's agent's
    /// registered address. Returns the share's first rank (the launch's <c>rankId</c>).
    /// </summary>
    private static int AddRanks(Dictionary<string, string> env, Placement placement, int share, ConnectedAgent? chief)
    {
        var firstRank = placement.Shares.Take(share).Sum(s => s.SlotIds.Count);
        env["RANK"] = Text(firstRank);
        env["LOCAL_RANK"] = "0";
        env["GROUP_RANK"] = env["CROSS_RANK"] = Text(share);
        env["WORLD_SIZE"] = Text(Math.Max(placement.Shares.Sum(s => s.SlotIds.Count), 1));
        env["LOCAL_WORLD_SIZE"] = env["LOCAL_SIZE"] = Text(Math.Max(placement.Shares[share].SlotIds.Count, 1));
        env["GROUP_WORLD_SIZE"] = env["CROSS_SIZE"] = Text(placement.Shares.Count);
        // On one agent the agent names its own address; across agents every share needs the chief's.
        if (placement.Shares.Count > 1 && chief?.Address is { Length: > 0 } address)
            env["DET_CHIEF_IP"] = address;
        return firstRank;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
