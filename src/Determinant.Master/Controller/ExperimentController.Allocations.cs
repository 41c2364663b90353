using Determinant.Master.ResourceManagers;
using Determinant.Master.Domain;
using Determinant.Master.Auth;
using Determinant.Master.Data.Entities;
using Determinant.Master.Errors;
using Determinant.Master.Tasks;
using Determinant.Protocol.Api;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Controller;

/// <summary>The allocation side: what the task layer calls when resources are found for a trial and when its allocation exits.</summary>
internal sealed partial class ExperimentController
{
    /// <summary>Starts the trial's next allocation (run id + 1) on the resources found for it, and issues its token.</summary>
    /// <exception cref="ConflictException">The trial may not run now, or already has an allocation.</exception>
    public async Task<AllocationGrant> StartAllocationAsync(string taskId, AllocatedResources resources, CancellationToken cancellationToken)
    {
        var (trialId, experimentId) = await TrialOfTaskAsync(taskId, cancellationToken).ConfigureAwait(false);
        return await RunAsync(experimentId, (session, _) =>
        {
            var trial = session.Trials.Single(t => t.Id == trialId);
            if (trial.State != TrialState.Active || session.Experiment.State != ExperimentState.Active)
                throw new ConflictException($"trial {trialId} is in state {trial.State.ToWire()} and cannot start");
            if (trial.OpLength is null || trial.OpCompleted)
                throw new ConflictException($"trial {trialId} has no searcher operation to work on");
            if (session.LiveAllocation(trial) is { } live)
                throw new ConflictException($"trial {trialId} already has allocation {live.Id}");
            trial.RunId++;
            var grant = AllocationRows.Begin(session.Db, trial.TaskId, trial.RunId, resources, session.Now, out var allocation);
            session.LiveAllocations[trial.Id] = allocation;
            return Task.FromResult(grant);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The trial and experiment of a trial's task.</summary>
    /// <exception cref="NotFoundException">No trial has that task.</exception>
    public async Task<(int TrialId, int ExperimentId)> TrialOfTaskAsync(string taskId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.MasterDbContext>();
        var row = await db.Trials.AsNoTracking().Where(t => t.TaskId == taskId).Select(t => new { t.Id, t.ExperimentId })
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false) ?? throw new NotFoundException($"no trial has task {taskId}");
        return (row.Id, row.ExperimentId);
    }

    /// <summary>Records that the allocation's processes ended, and decides the trial's outcome (REFERENCE.md §5.4).</summary>
    public async Task<TrialOutcome> RecordAllocationExitAsync(string allocationId, AllocationExit exit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exit);
        int trialId;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Data.MasterDbContext>();
            trialId = await db.Allocations.Where(a => a.Id == allocationId)
                .Join(db.Trials, a => a.TaskId, t => t.TaskId, (a, t) => (int?)t.Id)
                .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new NotFoundException($"allocation {allocationId} not found");
        }
        var experimentId = await ExperimentOfTrialAsync(trialId, cancellationToken).ConfigureAwait(false);
        return await RunAsync(experimentId, async (session, ct) =>
        {
            var allocation = await session.Db.Allocations.SingleAsync(a => a.Id == allocationId, ct).ConfigureAwait(false);
            if (allocation.State == AllocationState.Terminated)
                throw new ConflictException($"allocation {allocationId} has already exited");
            AllocationRows.End(allocation, exit, session.Now);
            session.LiveAllocations.Remove(trialId);
            var trial = session.Trials.Single(t => t.Id == trialId);
            var facts = new TrialExitFacts(
                trial.State,
                SearcherClosed: trial.SearcherClosed && (trial.OpLength is null || trial.OpCompleted),
                allocation.Acked,
                trial.EarlyExitReason is not null,
                trial.OpLength is not null && !trial.OpCompleted,
                trial.Restarts,
                session.Config.MaxRestarts,
                allocation.KillRequested);
            var outcome = TrialOutcomeRules.Decide(facts, exit);
            trial.Restarts = outcome.Restarts;
            LogOutcome(logger, trialId, allocationId, outcome.Kind, outcome.Reason);
            switch (outcome.Kind)
            {
                case TrialOutcomeKind.Terminal:
                    session.EndTrial(trial, outcome.State!.Value);
                    break;
                case TrialOutcomeKind.Reschedule:
                    session.ScheduleIfRunnable(trial);
                    break;
            }
            return outcome;
        }, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Trial {TrialId}: allocation {AllocationId} exited; {Outcome}: {Reason}")]
    private static partial void LogOutcome(ILogger logger, int trialId, string allocationId, TrialOutcomeKind outcome, string reason);
}
