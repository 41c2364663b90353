using System.Collections.Concurrent;

namespace Determinant.Master.Tasks;

/// <summary>Wakes long-polls of an allocation's stop flag as soon as the flag is committed.</summary>
internal sealed class PreemptionSignals
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _signals = new(StringComparer.Ordinal);

    /// <summary>Get this before reading the flag, then await it, so that a raise in between is not missed.</summary>
    public Task WaitHandle(string allocationId) =>
        _signals.GetOrAdd(allocationId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Raise(string allocationId)
    {
        if (_signals.TryRemove(allocationId, out var signal))
            signal.TrySetResult();
    }
}
