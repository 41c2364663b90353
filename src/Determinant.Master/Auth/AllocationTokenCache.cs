using System.Collections.Concurrent;

namespace Determinant.Master.Auth;

/// <summary>
/// Live allocations by token hash, so that a task's reports need no database read to authenticate. Any allocation's
/// exit (seen after its commit by <see cref="AllocationExitInterceptor"/>) starts a new epoch, which drops every entry;
/// an entry read from the database in an older epoch is never served, so an exited allocation's token is refused at once.
/// </summary>
internal sealed class AllocationTokenCache
{
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _epoch;

    /// <summary>Read this before the database, and pass it to <see cref="Add"/>.</summary>
    public long Epoch => Interlocked.Read(ref _epoch);

    public bool TryGet(string tokenHash, out CachedAllocation allocation)
    {
        if (_entries.TryGetValue(tokenHash, out var entry) && entry.Epoch == Epoch)
        {
            allocation = entry.Allocation;
            return true;
        }
        allocation = default;
        return false;
    }

    public void Add(string tokenHash, CachedAllocation allocation, long epochBeforeRead)
    {
        if (epochBeforeRead != Epoch)
            return;
        if (_entries.Count >= MaxEntries)
            _entries.Clear();
        _entries[tokenHash] = new Entry(allocation, epochBeforeRead);
    }

    /// <summary>An allocation ended (committed): no entry read before now may be served again.</summary>
    public void AllocationEnded()
    {
        Interlocked.Increment(ref _epoch);
        _entries.Clear();
    }

    private sealed record Entry(CachedAllocation Allocation, long Epoch);
}
