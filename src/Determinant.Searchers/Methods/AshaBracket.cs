namespace Determinant.Searchers.Methods;

/// <summary>
/// One asynchronous successive-halving bracket (REFERENCE.md §3.5), promotion-based by default or stopping-based
/// when <c>stop_once</c> is set. Adaptive ASHA runs several of these side by side.
/// </summary>
internal sealed partial class AshaBracket
{
    private readonly AshaRung[] _rungs;
    private readonly List<AshaTrial> _trials = [];
    private readonly Dictionary<RequestId, AshaTrial> _byId = [];
    private readonly int _maxTrials;
    private readonly int _maxConcurrent;
    private readonly double _divisor;
    private readonly bool _stopOnce;
    private int _invalid;
    private int _closed;

    public AshaBracket(int rungs, int maxTrials, int maxConcurrent, double divisor, ulong maxLength, bool stopOnce)
    {
        _rungs = AshaMath.RungTargets(maxLength, divisor, rungs).Select(t => new AshaRung(t)).ToArray();
        _maxTrials = maxTrials;
        _maxConcurrent = maxConcurrent;
        _divisor = divisor;
        _stopOnce = stopOnce;
    }

    private int Top => _rungs.Length - 1;

    public bool Owns(RequestId id) => _byId.ContainsKey(id);

    public void InitialOperations(SearchState state, List<SearcherOperation> ops)
    {
        var initial = _maxConcurrent > 0
            ? Math.Min(_maxConcurrent, _maxTrials)
            : (int)Math.Clamp(Math.Floor(Math.Pow(_divisor, _rungs.Length - 1)), 1, _maxTrials);
        for (var i = 0; i < initial; i++)
            Create(state, ops);
    }

    public void TrialCreated(RequestId id, List<SearcherOperation> ops) =>
        ops.Add(new ValidateAfter(id, _rungs[_byId[id].Rung].Target));

    public void ValidationCompleted(SearchState state, RequestId id, double metric, List<SearcherOperation> ops)
    {
        var trial = _byId[id];
        if (!trial.Pending || trial.Closed)
            return;
        var issued = Report(trial, state.Normalize(metric), ops);
        AfterResult(state, issued, ops);
    }

    public void TrialExitedEarly(SearchState state, RequestId id, ExitedReason reason, List<SearcherOperation> ops)
    {
        var trial = _byId[id];
        if (trial.Closed)
            return;
        if (reason == ExitedReason.InvalidHp)
        {
            // It never counted: forget its results, give its place back and replace it.
            trial.Invalid = true;
            _invalid++;
            Close(trial, ops);
            for (var r = 0; r <= trial.Rung; r++)
                _rungs[r].Entries.RemoveAll(e => e.Trial == trial);
            if (trial.Pending)
            {
                _rungs[trial.Rung].Outstanding--;
                trial.Pending = false;
            }
            AfterResult(state, issued: false, ops);
            return;
        }

        trial.Exited = true;
        trial.Closed = true;
        _closed++;
        // A trial that was training counts as the worst result at its rung; one that was waiting already has a result.
        if (trial.Pending)
            AfterResult(state, Report(trial, double.MaxValue, ops), ops);
        else if (!_stopOnce)
            CloseOut(ops);
    }

    /// <summary>§3.5 progress: results in rung 0 against 1.2·T, and the closed share once rung 0 is full.</summary>
    public double Progress()
    {
        var n0 = _rungs[0].Count;
        var progress = n0 / (1.2 * _maxTrials);
        return n0 >= _maxTrials ? Math.Max(progress, (double)(_closed - _invalid) / _maxTrials) : progress;
    }

    private void AfterResult(SearchState state, bool issued, List<SearcherOperation> ops)
    {
        if (!issued && _trials.Count - _invalid < _maxTrials)
            Create(state, ops);
        if (!_stopOnce)
            CloseOut(ops);
    }

    private void Create(SearchState state, List<SearcherOperation> ops)
    {
        var create = state.NewTrial(ops);
        var trial = new AshaTrial(create.RequestId, _trials.Count) { Pending = true };
        _trials.Add(trial);
        _byId.Add(trial.Id, trial);
        _rungs[0].Outstanding++;
    }

    private void Close(AshaTrial trial, List<SearcherOperation> ops)
    {
        trial.Closed = true;
        _closed++;
        ops.Add(new CloseTrial(trial.Id));
    }

    /// <summary>Records a result at the trial's rung; returns whether any ValidateAfter was issued as a consequence.</summary>
    private bool Report(AshaTrial trial, double value, List<SearcherOperation> ops)
    {
        var r = trial.Rung;
        var rung = _rungs[r];
        rung.Outstanding--;
        trial.Pending = false;
        var entry = new AshaEntry(trial, value);
        if (r == Top)
        {
            rung.InsertAfterEquals(entry);
            if (!trial.Closed)
                Close(trial, ops);
            return false;
        }
        return _stopOnce ? ReportStopping(entry, rung, ops) : ReportPromotion(entry, rung, ops);
    }

    private bool ReportPromotion(AshaEntry entry, AshaRung rung, List<SearcherOperation> ops)
    {
        var n = rung.Count;
        var before = (int)Math.Floor(n / _divisor);
        var after = (int)Math.Floor((n + 1) / _divisor);
        var index = rung.InsertAfterEquals(entry);
        if (index < after)
            return Promote(entry, ops);
        // The promotable share just grew by one: the best result not yet promoted moves up.
        if (after != before && !rung.Entries[before].Promoted)
            return Promote(rung.Entries[before], ops);
        return false;
    }

    private bool ReportStopping(AshaEntry entry, AshaRung rung, List<SearcherOperation> ops)
    {
        var keep = Math.Max((int)Math.Floor((rung.Count + 1) / _divisor), 1);
        var index = rung.InsertBeforeEquals(entry);
        var trial = entry.Trial;
        if (trial.Exited)
            return false;
        if (index < keep)
        {
            entry.Promoted = true;
            MoveUp(trial);
            ops.Add(new ValidateAfter(trial.Id, _rungs[trial.Rung].Target));
            return true;
        }
        Close(trial, ops);
        return false;
    }

    private bool Promote(AshaEntry entry, List<SearcherOperation> ops)
    {
        var trial = entry.Trial;
        // Only a close-out can have closed a waiting trial that did not exit; it cannot be resumed.
        if (trial.Closed && !trial.Exited)
            return false;
        entry.Promoted = true;
        MoveUp(trial);
        if (trial.Exited)
            return Report(trial, double.MaxValue, ops);
        ops.Add(new ValidateAfter(trial.Id, _rungs[trial.Rung].Target));
        return true;
    }

    private void MoveUp(AshaTrial trial)
    {
        trial.Rung++;
        trial.Pending = true;
        _rungs[trial.Rung].Outstanding++;
    }

    /// <summary>Once rung 0 is full, closes every waiting trial in the rungs that can no longer change.</summary>
    private void CloseOut(List<SearcherOperation> ops)
    {
        if (_rungs[0].Count < _maxTrials)
            return;
        foreach (var rung in _rungs)
        {
            if (rung.Outstanding > 0)
                break;
            if (!rung.Dirty)
                continue;
            rung.Dirty = false;
            foreach (var entry in rung.Entries)
            {
                if (!entry.Promoted && !entry.Trial.Closed)
                    Close(entry.Trial, ops);
            }
        }
    }
}
