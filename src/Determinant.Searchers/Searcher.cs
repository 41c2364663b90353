using System.Collections.Immutable;
using Determinant.Config;
using Determinant.Searchers.Methods;
using Determinant.Searchers.Sampling;

namespace Determinant.Searchers;

/// <summary>
/// A search as a deterministic state machine (REFERENCE.md §3.1): events in, operations out. It keeps the bookkeeping
/// every method shares — trial flags, progress units, current operations, the shutdown rule — around one method.
/// </summary>
/// <remarks>Not thread-safe: the master feeds one experiment's events one at a time.</remarks>
public sealed partial class Searcher
{
    private readonly ISearchMethod _method;
    private readonly SearchState _state;
    private bool _started;
    private bool _shutdown;
    private double _progress;

    private Searcher(SearcherConfig config, ImmutableSortedDictionary<string, Hyperparameter> hyperparameters, MersenneTwister rng)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(hyperparameters);
        _method = SearchMethods.Create(config, hyperparameters);
        _state = new SearchState(hyperparameters, config.SmallerIsBetter, rng) { UnitCap = SearchMethods.UnitCap(config) };
    }

    /// <summary>Experiment progress in [0, 1]; it never decreases and is exactly 1 once the search has shut down.</summary>
    public double Progress => _progress;

    /// <summary>Whether the search has emitted its <see cref="Shutdown"/>.</summary>
    public bool IsShutdown => _shutdown;

    /// <summary>Number of trials the searcher has asked for so far.</summary>
    public int TrialsRequested => _state.Requested;

    /// <summary>Creates a search for an experiment whose RNG is seeded with <paramref name="experimentSeed"/>.</summary>
    /// <exception cref="ArgumentException">The config is out of range, or grid search lacks a count.</exception>
    public static Searcher Create(SearcherConfig config, ImmutableSortedDictionary<string, Hyperparameter> hyperparameters, uint experimentSeed) =>
        new(config, hyperparameters, new MersenneTwister(experimentSeed));

    /// <summary>The operations of a search just activated for the first time.</summary>
    /// <exception cref="InvalidOperationException">Called a second time.</exception>
    public IReadOnlyList<SearcherOperation> InitialOperations() => Handle(new SearchStarted());

    /// <summary>The master created the trial a <see cref="CreateTrial"/> asked for.</summary>
    public IReadOnlyList<SearcherOperation> TrialCreated(RequestId requestId) => Handle(new TrialCreated(requestId));

    /// <summary>The trial completed <paramref name="op"/>, its current operation, and reported <paramref name="metric"/>.</summary>
    /// <exception cref="InvalidOperationException"><paramref name="op"/> is not the trial's current operation.</exception>
    public IReadOnlyList<SearcherOperation> ValidationCompleted(RequestId requestId, double metric, ValidateAfter op) =>
        Handle(new ValidationCompleted(requestId, metric, op));

    /// <summary>The trial stopped before the searcher closed it; a second report for the same trial is ignored.</summary>
    public IReadOnlyList<SearcherOperation> TrialExitedEarly(RequestId requestId, ExitedReason reason) =>
        Handle(new TrialExitedEarly(requestId, reason));

    /// <summary>The trial reached a terminal state.</summary>
    public IReadOnlyList<SearcherOperation> TrialClosed(RequestId requestId) => Handle(new TrialClosed(requestId));

    /// <summary>The trial has trained <paramref name="units"/> in total, in searcher units.</summary>
    public void SetProgress(RequestId requestId, double units) => Handle(new TrialProgressed(requestId, units));

    /// <summary>Feeds any event; the typed methods above are shorthands for this.</summary>
    /// <exception cref="ArgumentException">The event names a request id this searcher never asked for.</exception>
    public IReadOnlyList<SearcherOperation> Handle(SearcherEvent searcherEvent)
    {
        ArgumentNullException.ThrowIfNull(searcherEvent);
        var ops = new List<SearcherOperation>();
        switch (searcherEvent)
        {
            case SearchStarted:
                OnStarted(ops);
                break;
            case TrialCreated created:
                OnTrialCreated(created.RequestId, ops);
                break;
            case ValidationCompleted completed:
                OnValidationCompleted(completed, ops);
                break;
            case TrialExitedEarly exited:
                OnTrialExitedEarly(exited.RequestId, exited.Reason, ops);
                break;
            case TrialClosed closed:
                OnTrialClosed(closed.RequestId, ops);
                break;
            case TrialProgressed progressed:
                OnProgress(progressed.RequestId, progressed.Units);
                break;
            default:
                throw new ArgumentException($"unknown searcher event {searcherEvent.GetType().Name}", nameof(searcherEvent));
        }
        // Each ValidateAfter becomes its trial's current operation, so a completion can be checked as the master does.
        foreach (var op in ops)
        {
            if (op is ValidateAfter validate)
            {
                var record = _state.Get(validate.RequestId);
                record.HasPendingOp = true;
                record.PendingLength = validate.Length;
            }
        }
        _progress = _shutdown ? 1 : Math.Max(_progress, MethodProgress());
        _pending?.Add(searcherEvent);
        return ops;
    }

    // The method's formula, read as 0 when not finite and kept in [0, 1]; the caller keeps the maximum so far.
    private double MethodProgress()
    {
        var progress = _method.Progress(_state);
        return double.IsFinite(progress) ? Math.Clamp(progress, 0, 1) : 0;
    }
}
