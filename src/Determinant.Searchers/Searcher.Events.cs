using Determinant.Searchers.Methods;

namespace Determinant.Searchers;

/// <summary>The shared bookkeeping of §3.1, done before the method sees each event.</summary>
public sealed partial class Searcher
{
    private void OnStarted(List<SearcherOperation> ops)
    {
        if (_started)
            throw new InvalidOperationException("the search has already started; InitialOperations runs once per experiment");
        _started = true;
        _method.InitialOperations(_state, ops);
        // A search with nothing to do (an empty grid) is over at once, instead of never finishing as in Det.
        MaybeShutdown(ops);
    }

    private void OnTrialCreated(RequestId id, List<SearcherOperation> ops)
    {
        var record = _state.Get(id);
        if (record.Created)
            return;
        record.Created = true;
        _method.TrialCreated(_state, id, ops);
    }

    private void OnValidationCompleted(ValidationCompleted completed, List<SearcherOperation> ops)
    {
        var (id, metric, op) = completed;
        ArgumentNullException.ThrowIfNull(op);
        if (op.RequestId != id)
            throw new ArgumentException($"operation {op} does not belong to trial {id}", nameof(completed));
        var record = _state.Get(id);
        if (record.Closed || !record.HasPendingOp || record.PendingLength != op.Length)
        {
            var expected = record.HasPendingOp && !record.Closed ? $"ValidateAfter({record.PendingLength})" : "none";
            throw new InvalidOperationException($"trial {id}: expected op {expected}, got ValidateAfter({op.Length})");
        }
        record.HasPendingOp = false;
        record.CompletedLength = op.Length;
        record.CompletedOps++;
        _method.ValidationCompleted(_state, id, metric, op, ops);
    }

    private void OnTrialExitedEarly(RequestId id, ExitedReason reason, List<SearcherOperation> ops)
    {
        var record = _state.Get(id);
        if (record.Exited)
            return;
        record.Exited = true;
        record.HasPendingOp = false;
        switch (reason)
        {
            case ExitedReason.InvalidHp:
                // Its progress no longer counts, and neither does it among the valid closed trials.
                if (record.Closed)
                    _state.ClosedValidCount--;
                _state.DropUnits(record);
                record.Invalid = true;
                break;
            case ExitedReason.UserCanceled:
                record.Canceled = true;
                _state.Cancels++;
                break;
            case ExitedReason.Errored:
                record.Failed = true;
                _state.Failures++;
                break;
            case ExitedReason.UserRequestedStop:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(reason), reason, "unknown exit reason");
        }
        _method.TrialExitedEarly(_state, id, reason, ops);
    }

    private void OnTrialClosed(RequestId id, List<SearcherOperation> ops)
    {
        var record = _state.Get(id);
        if (record.Closed)
            return;
        _state.MarkClosed(record);
        record.HasPendingOp = false;
        _method.TrialClosed(_state, id, ops);
        MaybeShutdown(ops);
    }

    private void OnProgress(RequestId id, double units)
    {
        var record = _state.Get(id);
        if (!record.Invalid)
            _state.SetUnits(record, units);
    }

    private void MaybeShutdown(List<SearcherOperation> ops)
    {
        if (_shutdown || _state.Requested != _state.ClosedCount)
            return;
        _shutdown = true;
        // With no trials at all (an empty grid) the search simply completed; it was neither canceled nor failed.
        var any = _state.Requested > 0;
        ops.Add(new Shutdown(Cancel: any && _state.Cancels >= _state.Requested, Failure: any && _state.Failures >= _state.Requested));
    }
}
