namespace Determinant.Searchers.Simulation;

/// <summary>
/// A master in miniature: feeds a real <see cref="Searcher"/> its events first-in first-out, turning each operation
/// into the events a master would produce (Create → TrialCreated, ValidateAfter → progress then a validation or an
/// early exit, Close → TrialClosed once the current operation is done). Metrics and exits come from the callers'
/// functions, so a seeded function gives a reproducible run. Used by the tests and the benchmark.
/// </summary>
internal sealed class SearchSimulation(
    Searcher searcher, Func<SimulatedTrial, ulong, double> metric, Func<SimulatedTrial, ulong, ExitedReason?>? exit = null)
{
    private readonly Queue<SearcherEvent> _queue = new();
    private readonly Dictionary<RequestId, SimulatedTrial> _byId = [];

    public Searcher Searcher { get; private set; } = searcher;

    public List<SimulatedTrial> Trials { get; } = [];

    /// <summary>Whether each operation is preceded by a progress report at its target (one more event per operation).</summary>
    public bool ReportProgress { get; init; } = true;

    /// <summary>Called after every event is handled, e.g. to snapshot; may return a replacement searcher (a restored copy).</summary>
    public Func<Searcher, Searcher>? AfterEvent { get; init; }

    /// <summary>Every event delivered with the operations it produced, when <see cref="RecordLog"/> is set.</summary>
    public List<(SearcherEvent Event, IReadOnlyList<SearcherOperation> Operations)> Log { get; } = [];

    public bool RecordLog { get; init; }

    public List<double> ProgressHistory { get; } = [];

    public bool RecordProgress { get; init; }

    public int Events { get; private set; }

    public List<Shutdown> Shutdowns { get; } = [];

    /// <summary>Runs until no event is left.</summary>
    /// <exception cref="InvalidOperationException">More than <paramref name="maxEvents"/> events: the search does not end.</exception>
    public SearchSimulation Run(int maxEvents = 10_000_000)
    {
        Deliver(new SearchStarted());
        while (_queue.TryDequeue(out var next))
        {
            if (Events >= maxEvents)
                throw new InvalidOperationException($"the search did not end within {maxEvents} events");
            Deliver(next);
        }
        return this;
    }

    public SimulatedTrial Trial(RequestId id) => _byId[id];

    private void Deliver(SearcherEvent searcherEvent)
    {
        Events++;
        var ops = Searcher.Handle(searcherEvent);
        switch (searcherEvent)
        {
            case ValidationCompleted completed:
                _byId[completed.RequestId].OpDone = true;
                break;
            case TrialClosed closed:
                _byId[closed.RequestId].Closed = true;
                break;
        }
        Apply(ops);
        if (searcherEvent is ValidationCompleted done)
            MaybeClose(_byId[done.RequestId]);
        if (searcherEvent is TrialExitedEarly exited)
            QueueClose(_byId[exited.RequestId]);
        if (RecordLog)
            Log.Add((searcherEvent, ops));
        if (RecordProgress)
            ProgressHistory.Add(Searcher.Progress);
        if (AfterEvent is not null)
            Searcher = AfterEvent(Searcher);
    }

    private void Apply(IReadOnlyList<SearcherOperation> ops)
    {
        foreach (var op in ops)
        {
            switch (op)
            {
                case CreateTrial create:
                    var trial = new SimulatedTrial(create, Trials.Count + 1);
                    Trials.Add(trial);
                    _byId.Add(trial.Id, trial);
                    _queue.Enqueue(new TrialCreated(trial.Id));
                    break;
                case ValidateAfter validate:
                    Train(_byId[validate.RequestId], validate);
                    break;
                case CloseTrial close:
                    var closing = _byId[close.RequestId];
                    closing.CloseRequested = true;
                    MaybeClose(closing);
                    break;
                case Shutdown shutdown:
                    Shutdowns.Add(shutdown);
                    break;
            }
        }
    }

    private void Train(SimulatedTrial trial, ValidateAfter op)
    {
        if (trial.Exit is not null || trial.Closed)
            throw new InvalidOperationException($"trial {trial.Number} got {op} after it ended");
        trial.Lengths.Add(op.Length);
        trial.OpDone = false;
        if (exit?.Invoke(trial, op.Length) is { } reason)
        {
            trial.Exit = reason;
            _queue.Enqueue(new TrialExitedEarly(trial.Id, reason));
            return;
        }
        if (ReportProgress)
            _queue.Enqueue(new TrialProgressed(trial.Id, op.Length));
        _queue.Enqueue(new ValidationCompleted(trial.Id, metric(trial, op.Length), op));
    }

    // A Close queued behind an operation takes effect once that operation completes.
    private void MaybeClose(SimulatedTrial trial)
    {
        if (trial.CloseRequested && trial.OpDone)
            QueueClose(trial);
    }

    private void QueueClose(SimulatedTrial trial)
    {
        if (trial.CloseQueued)
            return;
        trial.CloseQueued = true;
        _queue.Enqueue(new TrialClosed(trial.Id));
    }
}
