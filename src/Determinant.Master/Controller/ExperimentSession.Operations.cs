using Determinant.Master.Domain;
using System.Text.Json;
using Determinant.Master.Data.Entities;
using Determinant.Master.Experiments;
using Determinant.Protocol.Api;
using Determinant.Searchers;

namespace Determinant.Master.Controller;

/// <summary>The master rules of REFERENCE.md §3.1: what each searcher operation does.</summary>
internal sealed partial class ExperimentSession
{
    private void Apply(SearcherOperation op)
    {
        switch (op)
        {
            case CreateTrial create:
                Create(create);
                break;
            case ValidateAfter validate:
                var trial = TrialFor(validate.RequestId);
                trial.OpLength = checked((long)validate.Length);
                trial.OpCompleted = false;
                ScheduleIfRunnable(trial);
                break;
            case CloseTrial close:
                var closed = TrialFor(close.RequestId);
                closed.SearcherClosed = true;
                CloseIfOpDone(closed);
                break;
            case Shutdown shutdown:
                var target = shutdown.Failure ? ExperimentState.StoppingError
                    : shutdown.Cancel ? ExperimentState.StoppingCanceled : ExperimentState.StoppingCompleted;
                if (States.Accepts(Experiment.State, target))
                    Experiment.State = target;
                break;
            default:
                throw new InvalidOperationException($"unknown searcher operation {op.GetType().Name}");
        }
    }

    private void Create(CreateTrial create)
    {
        // The request id is reproducible from the experiment seed; the task id, which allocation ids extend, is not.
        var taskId = TrialEntity.TaskIdOf(Experiment.Id, Tasks.RandomIds.NewUuid());
        var trial = new TrialEntity
        {
            TaskId = taskId,
            Task = new TaskEntity
            {
                Id = taskId,
                Type = TaskType.Trial,
                OwnerId = Experiment.OwnerId,
                State = TaskState.Active,
                ResourcePool = Config.Resources.ResourcePool,
                Slots = Config.Resources.SlotsPerTrial,
                StartTime = Now,
            },
            RequestId = create.RequestId.Value,
            HparamsJson = create.Hparams.ToJsonString(),
            Seed = create.TrialSeed,
            State = Experiment.State == ExperimentState.Active ? TrialState.Active : TrialState.Paused,
            StartTime = Now,
            WarmStartCheckpointUuid = Config.Searcher.SourceCheckpointUuid,
        };
        if (create.ParentRequestId is { } parent)
            trial.WarmStartCheckpointUuid = LatestCheckpointUuid(TrialFor(parent));
        Experiment.Trials.Add(trial);
        Feed(new TrialCreated(create.RequestId));
        // A trial asked for while the experiment stops never runs.
        if (States.IsStopping(Experiment.State))
            EndTrial(trial, TrialState.Canceled);
    }

    /// <summary>Close takes effect once the trial's current op is complete (§3.1, §5.5).</summary>
    public void CloseIfOpDone(TrialEntity trial)
    {
        if (!trial.SearcherClosed || (trial.OpLength is not null && !trial.OpCompleted) || States.IsTerminal(trial.State))
            return;
        if (LiveAllocation(trial) is { } allocation)
        {
            if (!States.IsStopping(trial.State))
                trial.State = TrialState.StoppingCompleted;
            StopGracefully(allocation);
        }
        else
        {
            EndTrial(trial, States.IsStopping(trial.State) ? States.TerminalOf(trial.State) : TrialState.Completed);
        }
    }

    private string? LatestCheckpointUuid(TrialEntity trial) =>
        trial.Id == 0 ? null : Db.Checkpoints
            .Where(c => c.TrialId == trial.Id && c.State == CheckpointState.Completed)
            .OrderByDescending(c => c.StepsCompleted).ThenByDescending(c => c.Id)
            .Select(c => (Guid?)c.Uuid).FirstOrDefault()?.ToString("D");

    /// <summary>The hyperparameters as stored, for handing to a trial.</summary>
    public static JsonElement Hparams(TrialEntity trial) => JsonDocument.Parse(trial.HparamsJson).RootElement.Clone();
}
