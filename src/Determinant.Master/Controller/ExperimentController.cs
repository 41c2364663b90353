using Determinant.Master.Domain;
using Determinant.Master.Checkpoints;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Master.Errors;
using Determinant.Master.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Determinant.Master.Controller;

/// <summary>
/// Runs all work that touches an experiment's searcher or trial states: one experiment at a time (a lock per
/// experiment), each in one transaction that also saves the searcher, with side effects carried out after the commit.
/// </summary>
internal sealed partial class ExperimentController(
    IServiceScopeFactory scopes, ExperimentLocks locks, ExperimentConfigCache configs, AllocationService allocations,
    SearcherCache searchers, CheckpointCollector collector, TimeProvider time, ILogger<ExperimentController> logger)
{
    /// <summary>Runs <paramref name="work"/> on the experiment in one transaction, then carries out its effects.</summary>
    public async Task<T> RunAsync<T>(int experimentId, Func<ExperimentSession, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        List<ControllerEffect> effects;
        T result;
        using (await locks.AcquireAsync(experimentId, cancellationToken).ConfigureAwait(false))
        {
            var committed = false;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                var experiment = await db.Experiments.Include(e => e.Trials).ThenInclude(t => t.Task)
                    .FirstOrDefaultAsync(e => e.Id == experimentId, cancellationToken).ConfigureAwait(false)
                    ?? throw new NotFoundException($"experiment {experimentId} not found");
                var session = await OpenAsync(db, experiment, cancellationToken).ConfigureAwait(false);
                result = await work(session, cancellationToken).ConfigureAwait(false);
                await CommitAsync(session, transaction, cancellationToken).ConfigureAwait(false);
                committed = true;
                effects = session.Effects;
                await ApplyAsync(experimentId, effects, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // The cached searcher may hold events that did not commit: the next session restores from the database.
                if (!committed)
                    searchers.Forget(experimentId);
            }
        }
        return result;
    }

    public Task RunAsync(int experimentId, Action<ExperimentSession> work, CancellationToken cancellationToken) =>
        RunAsync(experimentId, (session, _) =>
        {
            work(session);
            return Task.FromResult(true);
        }, cancellationToken);

    /// <summary>Inserts a new experiment and, when asked, activates it, all in one transaction.</summary>
    public async Task<int> CreateAsync(ExperimentEntity experiment, bool activate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        db.Experiments.Add(experiment);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        var session = await OpenAsync(db, experiment, cancellationToken).ConfigureAwait(false);
        if (activate)
            session.Activate();
        await CommitAsync(session, transaction, cancellationToken).ConfigureAwait(false);
        await ApplyAsync(experiment.Id, session.Effects, cancellationToken).ConfigureAwait(false);
        return experiment.Id;
    }

    /// <summary>The experiment a trial belongs to.</summary>
    public async Task<int> ExperimentOfTrialAsync(int trialId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
        var id = await db.Trials.Where(t => t.Id == trialId).Select(t => (int?)t.ExperimentId)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return id ?? throw new NotFoundException($"trial {trialId} not found");
    }

    private async Task<ExperimentSession> OpenAsync(MasterDbContext db, ExperimentEntity experiment, CancellationToken cancellationToken)
    {
        var trialOfTask = experiment.Trials.Where(t => t.Id != 0).ToDictionary(t => t.TaskId, t => t.Id, StringComparer.Ordinal);
        var taskIds = trialOfTask.Keys.ToList();
        var live = (await db.Allocations.Where(a => taskIds.Contains(a.TaskId) && a.State != AllocationState.Terminated)
            .ToListAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(a => trialOfTask[a.TaskId]);
        var config = configs.Get(experiment.Id, experiment.ConfigJson);
        var searcher = experiment.SearcherSnapshot is null ? null
            : searchers.Find(experiment.Id)
            ?? await ExperimentSession.RestoreSearcherAsync(db, experiment, config, cancellationToken).ConfigureAwait(false);
        return new ExperimentSession(db, experiment, config, live, time.GetUtcNow().UtcDateTime, searcher);
    }

    /// <summary>Ends the session's work: the experiment may finish, the searcher is saved with the rest, all in one commit.</summary>
    private async Task CommitAsync(ExperimentSession session, IDbContextTransaction transaction, CancellationToken cancellationToken)
    {
        session.FinishIfDone();
        await session.SaveSearcherAsync(cancellationToken).ConfigureAwait(false);
        await session.Db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (session.LoadedSearcher is { } searcher)
            searchers.Keep(session.Experiment.Id, searcher);
        else
            searchers.Forget(session.Experiment.Id);
    }

    private async Task ApplyAsync(int experimentId, List<ControllerEffect> effects, CancellationToken cancellationToken)
    {
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case ScheduleTrial schedule:
                    await allocations.RequestAsync(TrialRequests.For(schedule.Trial, schedule.Config, schedule.ExperimentStart), cancellationToken).ConfigureAwait(false);
                    break;
                case StopAllocation stop:
                    await allocations.StopGracefullyAsync(stop.AllocationId, stop.Timeout, cancellationToken).ConfigureAwait(false);
                    break;
                case KillAllocationLater later:
                    allocations.KillLater(later.AllocationId, later.Delay, later.Reason);
                    break;
                case KillAllocation kill:
                    await allocations.KillAsync(kill.AllocationId, cancellationToken).ConfigureAwait(false);
                    break;
                case CollectCheckpoints collect:
                    await CollectAsync(collect.ExperimentId, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    private async Task CollectAsync(int experimentId, CancellationToken cancellationToken)
    {
        try
        {
            await collector.CollectAsync(experimentId, null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DbUpdateException)
        {
            LogGcFailed(logger, experimentId, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Checkpoint GC of experiment {ExperimentId} failed")]
    private static partial void LogGcFailed(ILogger logger, int experimentId, Exception exception);
}
