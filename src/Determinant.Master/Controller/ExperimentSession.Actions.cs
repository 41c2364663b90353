using Determinant.Master.Domain;
using Determinant.Master.Errors;
using Determinant.Master.Experiments;
using Determinant.Protocol.Api;

namespace Determinant.Master.Controller;

/// <summary>User actions on an experiment (REFERENCE.md §5.3).</summary>
internal sealed partial class ExperimentSession
{
    public void Activate()
    {
        if (Experiment.State == ExperimentState.Active)
            return;
        if (Experiment.State != ExperimentState.Paused)
            throw new ConflictException($"experiment {Experiment.Id} is in state {Experiment.State.ToWire()} and cannot be activated");
        var first = !SearchStarted;
        Experiment.State = ExperimentState.Active;
        foreach (var trial in Trials.Where(t => t.State == TrialState.Paused))
            trial.State = TrialState.Active;
        if (first)
            Feed(new Searchers.SearchStarted());
        foreach (var trial in Trials)
            ScheduleIfRunnable(trial);
    }

    public void Pause()
    {
        if (Experiment.State == ExperimentState.Paused)
            return;
        if (Experiment.State != ExperimentState.Active)
            throw new ConflictException($"experiment {Experiment.Id} is in state {Experiment.State.ToWire()} and cannot be paused");
        Experiment.State = ExperimentState.Paused;
        foreach (var trial in Trials.Where(t => t.State == TrialState.Active))
        {
            trial.State = TrialState.Paused;
            if (LiveAllocation(trial) is { } allocation)
                StopGracefully(allocation);
        }
    }

    /// <summary>Cancel (graceful) or kill (immediate); a no-op when already stopping at least as severely, or terminal.</summary>
    public void Stop(bool kill)
    {
        var target = kill ? ExperimentState.StoppingKilled : ExperimentState.StoppingCanceled;
        if (!kill && Experiment.State is not (ExperimentState.Active or ExperimentState.Paused))
            return;
        if (!States.Accepts(Experiment.State, target))
            return;
        Experiment.State = target;
        var trialTarget = States.ToTrial(target);
        foreach (var trial in Trials.Where(t => !States.IsTerminal(t.State)).ToList())
        {
            if (LiveAllocation(trial) is { } allocation)
            {
                if (States.Severity(trial.State) < States.Severity(trialTarget))
                    trial.State = trialTarget;
                if (kill)
                    Kill(allocation);
                else
                    StopGracefully(allocation);
            }
            else
            {
                EndTrial(trial, TrialState.Canceled);
            }
        }
    }
}
