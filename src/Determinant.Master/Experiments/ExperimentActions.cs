using Determinant.Master.Domain;
using System.Security.Claims;
using Determinant.Config;
using Determinant.Master.Auth;
using Determinant.Master.Checkpoints;
using Determinant.Master.Controller;
using Determinant.Master.Data;
using Determinant.Master.Errors;
using Determinant.Protocol.Api;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Experiments;

/// <summary>User actions on an experiment: activate, pause, cancel, kill, archive, unarchive, delete (REFERENCE.md §5.3).</summary>
internal sealed class ExperimentActions(ExperimentController controller, CheckpointCollector collector, ExperimentConfigCache configs, MasterDbContext db)
{
    public Task ActAsync(int id, string action, ClaimsPrincipal principal, CancellationToken cancellationToken) =>
        controller.RunAsync(id, (session, _) =>
        {
            principal.RequireOwnerOrAdmin(session.Experiment.OwnerId);
            switch (action)
            {
                case "activate": session.Activate(); break;
                case "pause": session.Pause(); break;
                case "cancel": session.Stop(kill: false); break;
                case "kill": session.Stop(kill: true); break;
                case "archive":
                    if (!States.IsTerminal(session.Experiment.State))
                        throw new ConflictException("Experiment is not in terminal state.");
                    if (session.Experiment.Archived)
                        throw new ConflictException("Experiment is already archived.");
                    session.Experiment.Archived = true;
                    break;
                case "unarchive":
                    if (!States.IsTerminal(session.Experiment.State))
                        throw new ConflictException("Experiment is not in terminal state.");
                    if (!session.Experiment.Archived)
                        throw new ConflictException("Experiment is not archived.");
                    session.Experiment.Archived = false;
                    break;
                default:
                    throw new NotFoundException($"unknown action '{action}'");
            }
            return Task.FromResult(true);
        }, cancellationToken);

    /// <summary>Terminal only: DELETING, GC of every checkpoint (0/0/0), then the rows go.</summary>
    public async Task DeleteAsync(int id, ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        await controller.RunAsync(id, (session, _) =>
        {
            principal.RequireOwnerOrAdmin(session.Experiment.OwnerId);
            var state = session.Experiment.State;
            if (state is not (ExperimentState.Completed or ExperimentState.Canceled or ExperimentState.Error or ExperimentState.DeleteFailed))
                throw new ConflictException($"experiment in non terminal state '{state.ToWire()}', try again later");
            session.Experiment.State = ExperimentState.Deleting;
            return Task.FromResult(true);
        }, cancellationToken).ConfigureAwait(false);
        await collector.CollectAsync(id, CheckpointGcPolicy.DeleteAll, cancellationToken).ConfigureAwait(false);
        var taskPrefix = $"{id}.";
        var left = await db.Checkpoints.CountAsync(c => c.TaskId.StartsWith(taskPrefix)
            && (c.State == CheckpointState.Completed || c.State == CheckpointState.PartiallyDeleted), cancellationToken).ConfigureAwait(false);
        if (left > 0)
        {
            // Deleting the rows would orphan files nobody could find again; the user can retry once the storage is reachable.
            await controller.RunAsync(id, (session, _) =>
            {
                session.Experiment.State = ExperimentState.DeleteFailed;
                return Task.FromResult(true);
            }, cancellationToken).ConfigureAwait(false);
            throw new ConflictException($"experiment {id}: {left} checkpoint(s) could not be deleted from their storage (see the master log); the experiment is DELETE_FAILED and can be deleted again");
        }
        var tasks = await db.Trials.Where(t => t.ExperimentId == id).Select(t => t.TaskId)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await db.TaskLogs.Where(l => tasks.Contains(l.TaskId)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.Checkpoints.Where(c => tasks.Contains(c.TaskId)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.Experiments.Where(e => e.Id == id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        configs.Forget(id);
    }
}
