using System.Collections.Concurrent;

namespace Determinant.Master.Agents;

/// <summary>When the master heard each allocation event, kept for the most recent allocations (launch latency, debugging).</summary>
internal sealed class AllocationTimeline
{
    private const int Capacity = 1000;

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, DateTimeOffset>> _events = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    public void Record(string allocationId, string state, DateTimeOffset at)
    {
        var states = _events.GetOrAdd(allocationId, id =>
        {
            _order.Enqueue(id);
            return new(StringComparer.Ordinal);
        });
        states.TryAdd(state, at);
        while (_order.Count > Capacity && _order.TryDequeue(out var oldest))
            _events.TryRemove(oldest, out _);
    }

    /// <summary>When <paramref name="state"/> (STARTING, RUNNING, EXITED) of the allocation was first heard; null if not (or no longer) known.</summary>
    public DateTimeOffset? When(string allocationId, string state) =>
        _events.TryGetValue(allocationId, out var states) && states.TryGetValue(state, out var at) ? at : null;
}
