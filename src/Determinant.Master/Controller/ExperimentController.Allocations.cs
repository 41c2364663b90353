using Determinant.Master.ResourceManagers;
using Determinant.Master.Domain;
using Determinant.Master.Auth;
using Determinant.Master.Data.Entities;
using Determinant.Master.Errors;
using Determinant.Master.Experiments;
using Determinant.Master.Trials;
using Determinant.Protocol.Api;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Controller;

/// <summary>The allocation side: what a scheduler calls when it starts a trial's task and when that task exits.</summary>
internal sealed partial class ExperimentController
{
    /// <summary>Starts the trial's next allocation (run id + 1) and issues its token.</summary>
    public async Task<AllocationGrant> StartAllocationAsync(int trialId, CancellationToken cancellationToken)
    {
        var experimentId = await ExperimentOfTrialAsync(trialId, cancellationToken).ConfigureAwait(false);
        var grant = await RunAsync(experimentId, (session, _) =>
        {
            var trial = session.Trials.Single(t => t.Id == trialId);
            if (trial.State != TrialState.Active || session.Experiment.State != ExperimentState.Active)
                throw new ConflictException($"trial {trialId} is in state {trial.State.ToWire()} and cannot start");
            if (session.LiveAllocation(trial) is { } live)
                throw new ConflictException($"trial {trialId} already has allocation {live.Id}");
            trial.RunId++;
            var token = TokenHasher.NewToken();
            var allocation = new AllocationEntity
            {
                Id = $"{trial.TaskId}.{trial.RunId}",
                TaskId = trial.TaskId,
                TrialId = trial.Id,
                RunId = trial.RunId,
                State = AllocationState.Running,
                TokenHash = TokenHasher.Hash(token),
                StartTime = session.Now,
            };
            session.Db.Allocations.Add(allocation);
            session.LiveAllocations[trial.Id] = allocation;
            return Task.FromResult(new AllocationGrant(allocation.Id, trial.TaskId, trial.Id, trial.RunId, token));
        }, cancellationToken).ConfigureAwait(false);
        scheduler.TrialStarted(trialId);
        return grant;
    }

    /// <summary>Records that the allocation's processes ended, and decides the trial's outcome (REFERENCE.md §5.4).</summary>
    public async Task<TrialOutcome> RecordAllocationExitAsync(string allocationId, AllocationExit exit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exit);
        int trialId;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Data.MasterDbContext>();
            trialId = await db.Allocations.Where(a => a.Id == allocationId).Select(a => (int?)a.TrialId)
                .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new NotFoundException($"allocation {allocationId} not found");
        }
        var experimentId = await ExperimentOfTrialAsync(trialId, cancellationToken).ConfigureAwait(false);
        delayedKills.Cancel(allocationId);
        return await RunAsync(experimentId, async (session, ct) =>
        {
            var allocation = await session.Db.Allocations.SingleAsync(a => a.Id == allocationId, ct).ConfigureAwait(false);
            if (allocation.State == AllocationState.Terminated)
                throw new ConflictException($"allocation {allocationId} has already exited");
            allocation.State = AllocationState.Terminated;
            allocation.EndTime = session.Now;
            allocation.ExitCode = exit.ExitCode;
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
