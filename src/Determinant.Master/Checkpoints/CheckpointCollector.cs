using Determinant.Master.Domain;
using Determinant.Config;
using Determinant.Master.Controller;
using Determinant.Master.Data;
using Determinant.Master.Experiments;
using Determinant.Protocol.Api;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Checkpoints;

/// <summary>
/// Checkpoint GC (REFERENCE.md §4.4): selects with <see cref="CheckpointGc.SelectForDeletion"/>, removes the files,
/// and marks the records DELETED (PARTIALLY_DELETED when a removal failed). Warm-start sources and the checkpoint any
/// unfinished trial would resume from are never selected. The master deletes <c>shared_fs</c> checkpoints, and
/// <c>directory</c> ones when that directory is visible on the master's machine (a local cluster); a checkpoint whose
/// storage the master cannot see is left as it is, still COMPLETED, and the log says so — never marked deleted while
/// its files remain.
/// </summary>
internal sealed partial class CheckpointCollector(IServiceScopeFactory scopes, ExperimentConfigCache configs, ILogger<CheckpointCollector> logger)
{
    /// <summary>Collects with <paramref name="policy"/>, or the experiment's own when null; returns the uuids deleted.</summary>
    public Task<IReadOnlyList<Guid>> CollectAsync(int experimentId, CheckpointGcPolicy? policy, CancellationToken cancellationToken) =>
        CollectAsync(experimentId, policy, dryRun: false, cancellationToken);

    /// <summary>As above; with <paramref name="dryRun"/>, only returns the uuids it would delete (the GC preview).</summary>
    public async Task<IReadOnlyList<Guid>> CollectAsync(int experimentId, CheckpointGcPolicy? policy, bool dryRun, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
        var experiment = await db.Experiments.AsNoTracking().SingleAsync(e => e.Id == experimentId, cancellationToken).ConfigureAwait(false);
        var config = configs.Get(experimentId, experiment.ConfigJson);
        var storage = config.CheckpointStorage;
        policy ??= storage is null ? CheckpointGcPolicy.Default
            : new CheckpointGcPolicy(storage.SaveExperimentBest, storage.SaveTrialBest, storage.SaveTrialLatest);

        var trials = await db.Trials.AsNoTracking().Where(t => t.ExperimentId == experimentId)
            .Select(t => new { t.Id, t.State }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var trialIds = trials.Select(t => t.Id).ToList();
        var checkpoints = await db.Checkpoints.Where(c => c.TrialId != null && trialIds.Contains(c.TrialId.Value)
            && (c.State == CheckpointState.Completed || c.State == CheckpointState.PartiallyDeleted))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        if (checkpoints.Count == 0)
            return [];
        // A validation's place in report order (report time, then trial and steps) breaks ties between equal metrics.
        var validations = (await db.Metrics.AsNoTracking()
            .Where(m => trialIds.Contains(m.TrialId) && m.Group == Data.Entities.MetricReportEntity.Validation)
            .Select(m => new { m.ReportTime, m.TrialId, m.StepsCompleted, m.SearcherMetric }).ToListAsync(cancellationToken).ConfigureAwait(false))
            .OrderBy(m => m.ReportTime).ThenBy(m => m.TrialId).ThenBy(m => m.StepsCompleted)
            .Select((m, i) => new { Order = (long)i + 1, m.TrialId, m.StepsCompleted, m.SearcherMetric })
            .ToDictionary(m => (m.TrialId, m.StepsCompleted));
        var warmStartSources = (await db.Trials.AsNoTracking().Where(t => t.WarmStartCheckpointUuid != null)
            .Select(t => t.WarmStartCheckpointUuid!).Distinct().ToListAsync(cancellationToken).ConfigureAwait(false)).ToHashSet();
        var resumeFrom = checkpoints.Where(c => trials.Any(t => t.Id == c.TrialId && !States.IsTerminal(t.State)))
            .GroupBy(c => c.TrialId).Select(g => g.MaxBy(c => (c.StepsCompleted, c.Id))!.Id).ToHashSet();

        var candidates = checkpoints.Select(c =>
        {
            var validation = validations.GetValueOrDefault((c.TrialId!.Value, c.StepsCompleted));
            var isProtected = warmStartSources.Contains(c.Uuid.ToString("D")) || resumeFrom.Contains(c.Id);
            return new CheckpointGcCandidate(c.Id, c.TrialId.Value, c.StepsCompleted, validation?.Order, validation?.SearcherMetric, isProtected);
        });
        var selected = CheckpointGc.SelectForDeletion(candidates, policy, config.Searcher.SmallerIsBetter).Select(c => c.CheckpointId).ToHashSet();
        if (dryRun)
            return [.. checkpoints.Where(c => selected.Contains(c.Id)).Select(c => c.Uuid)];
        var deleted = new List<Guid>();
        var baseDirectory = BaseDirectory(storage);
        if (baseDirectory is null && selected.Count > 0)
            LogStorageNotVisible(logger, experimentId, selected.Count, storage?.GetType().Name ?? "none");
        foreach (var checkpoint in checkpoints.Where(c => selected.Contains(c.Id) && baseDirectory is not null))
        {
            checkpoint.State = DeleteFiles(baseDirectory!, checkpoint.Uuid) ? CheckpointState.Deleted : CheckpointState.PartiallyDeleted;
            deleted.Add(checkpoint.Uuid);
        }
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        LogCollected(logger, experimentId, deleted.Count, checkpoints.Count);
        return deleted;
    }

    /// <summary>Where the checkpoints lie as the master sees them; null when the master cannot reach that storage.</summary>
    private static string? BaseDirectory(CheckpointStorageConfig? storage) => storage switch
    {
        SharedFsStorageConfig sharedFs => sharedFs.BaseDirectory,
        // A path the tasks see; on a local cluster the master sees the same file system. TODO(cluster): elsewhere a
        // CHECKPOINT_GC task on an agent has to delete them.
        DirectoryStorageConfig directory when Path.IsPathRooted(directory.ContainerPath) && Directory.Exists(directory.ContainerPath) => directory.ContainerPath,
        _ => null,
    };

    private bool DeleteFiles(string baseDirectory, Guid uuid)
    {
        var directory = Path.Combine(baseDirectory, uuid.ToString("D"));
        try
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogDeleteFailed(logger, directory, e);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Checkpoint GC of experiment {ExperimentId}: deleted {Deleted} of {Total}")]
    private static partial void LogCollected(ILogger logger, int experimentId, int deleted, int total);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkpoint GC of experiment {ExperimentId}: {Count} checkpoint(s) are due for deletion, but their storage ({Storage}) is not visible from the master; they are kept")]
    private static partial void LogStorageNotVisible(ILogger logger, int experimentId, int count, string storage);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete checkpoint files in {Directory}")]
    private static partial void LogDeleteFailed(ILogger logger, string directory, Exception exception);
}
