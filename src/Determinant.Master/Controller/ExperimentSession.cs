using Determinant.Master.Domain;
using Determinant.Config;
using Determinant.Master.Data;
using Determinant.Master.Tasks;
using Determinant.Master.Data.Entities;
using Determinant.Master.Experiments;
using Determinant.Protocol.Api;
using Determinant.Searchers;

namespace Determinant.Master.Controller;

/// <summary>
/// One unit of controller work on one experiment, inside one transaction and under the experiment's lock: it feeds
/// searcher events, carries out the operations that come back, and collects what to do once the change is committed.
/// </summary>
internal sealed partial class ExperimentSession(
    MasterDbContext db, ExperimentEntity experiment, ExperimentConfig config,
    Dictionary<int, AllocationEntity> liveAllocations, DateTime now, Searcher? searcher)
{
    private readonly Queue<SearcherEvent> _events = new();
    private Searcher? _searcher = searcher;
    private bool _draining;
    private bool _searcherDropped;

    public MasterDbContext Db { get; } = db;

    public ExperimentEntity Experiment { get; } = experiment;

    public ExperimentConfig Config { get; } = config;

    public DateTime Now { get; } = now;

    /// <summary>The experiment's trials, tracked.</summary>
    public List<TrialEntity> Trials => Experiment.Trials;

    /// <summary>Allocations that have not exited, by trial id.</summary>
    public Dictionary<int, AllocationEntity> LiveAllocations { get; } = liveAllocations;

    public List<ControllerEffect> Effects { get; } = [];

    /// <summary>Whether the search has started (its first activation happened).</summary>
    public bool SearchStarted => Experiment.SearcherSnapshot is not null || Trials.Count > 0;

    /// <summary>The searcher restored by the controller, or a new one when the search has not started.</summary>
    private Searcher Searcher => _searcher ??= Experiment.SearcherSnapshot is null
        ? Searcher.Create(Config.Searcher, Config.Hyperparameters, Config.Reproducibility.ExperimentSeed)
        : throw new InvalidOperationException($"experiment {Experiment.Id}: the searcher was not restored");

    public TrialEntity TrialFor(RequestId id) => Trials.Single(t => t.RequestId == id.Value);

    public AllocationEntity? LiveAllocation(TrialEntity trial) =>
        trial.Id != 0 && LiveAllocations.TryGetValue(trial.Id, out var a) ? a : null;

    /// <summary>Feeds an event; the operations it causes (and the events those cause) are carried out before this returns.</summary>
    public void Feed(SearcherEvent searcherEvent)
    {
        if (States.IsTerminal(Experiment.State))
            return;
        _events.Enqueue(searcherEvent);
        if (_draining)
            return;
        _draining = true;
        try
        {
            while (_events.TryDequeue(out var next))
            {
                foreach (var op in Searcher.Handle(next))
                    Apply(op);
                Experiment.Progress = Searcher.Progress;
            }
        }
        finally
        {
            _draining = false;
        }
    }

    /// <summary>Feeds progress, which causes no operations.</summary>
    public void SetProgress(TrialEntity trial, double units)
    {
        if (States.IsTerminal(Experiment.State))
            return;
        Searcher.SetProgress(new RequestId(trial.RequestId), units);
        Experiment.Progress = Searcher.Progress;
    }

    /// <summary>Schedules the trial if it may run, has work and has no allocation.</summary>
    public void ScheduleIfRunnable(TrialEntity trial)
    {
        if (Experiment.State == ExperimentState.Active && trial.State == TrialState.Active && trial.OpLength is not null
            && !trial.OpCompleted && LiveAllocation(trial) is null
            && !Effects.Any(e => e is ScheduleTrial s && ReferenceEquals(s.Trial, trial)))
            Effects.Add(new ScheduleTrial(trial, Config, Experiment.StartTime));
    }

    /// <summary>Raises the allocation's stop flag (pause, cancel, searcher close).</summary>
    public void StopGracefully(AllocationEntity allocation)
    {
        allocation.Preempt = true;
        Effects.Add(new StopAllocation(allocation.Id, TimeSpan.FromSeconds(Config.PreemptionTimeout)));
    }

    /// <summary>Kills the allocation if it is still alive after <paramref name="delay"/>.</summary>
    public void KillLater(AllocationEntity allocation, TimeSpan delay, DelayedKillReason reason) =>
        Effects.Add(new KillAllocationLater(allocation.Id, delay, reason));

    /// <summary>Kills the allocation now; the kill is the master's decision, so its exit is no failure (REFERENCE.md §5.4).</summary>
    public void Kill(AllocationEntity allocation)
    {
        allocation.KillRequested = true;
        Effects.Add(new KillAllocation(allocation.Id));
    }

    /// <summary>The trial reaches a terminal state; the searcher hears why, then that it closed.</summary>
    public void EndTrial(TrialEntity trial, TrialState terminal)
    {
        if (States.IsTerminal(trial.State))
            return;
        trial.State = terminal;
        trial.EndTime = Now;
        if (trial.Task is { } task)
        {
            task.State = TaskState.Terminated;
            task.EndTime = Now;
        }
        var id = new RequestId(trial.RequestId);
        if (terminal == TrialState.Error)
            Feed(new TrialExitedEarly(id, ExitedReason.Errored));
        else if (terminal == TrialState.Canceled)
            Feed(new TrialExitedEarly(id, ExitedReason.UserCanceled));
        else if (!trial.SearcherClosed && trial.EarlyExitReason is null)
            // Completed before the searcher was done with it: the user's code decided to stop (§5.4 rule 6). The
            // searcher must hear it as such, or a method waiting for the trial's result (ASHA) would wait forever.
            Feed(new TrialExitedEarly(id, ExitedReason.UserRequestedStop));
        Feed(new TrialClosed(id));
    }

    /// <summary>A stopping experiment with no open trial reaches its terminal state, drops its searcher and collects checkpoints.</summary>
    public void FinishIfDone()
    {
        if (!States.IsStopping(Experiment.State) || Trials.Any(t => !States.IsTerminal(t.State)))
            return;
        Experiment.State = States.TerminalOf(Experiment.State);
        Experiment.EndTime = Now;
        Experiment.SearcherSnapshot = null;
        _searcherDropped = true;
        Effects.Add(new CollectCheckpoints(Experiment.Id));
    }
}
