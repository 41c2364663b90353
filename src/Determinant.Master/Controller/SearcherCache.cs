using System.Collections.Concurrent;
using Determinant.Searchers;

namespace Determinant.Master.Controller;

/// <summary>
/// Each running experiment's searcher as of its latest commit, so that an event costs neither a restore nor a replay.
/// Only the controller touches it, under the experiment's lock; an entry is dropped whenever a change did not commit,
/// and the next session restores from the database (snapshot + journal), as after a master restart.
/// </summary>
internal sealed class SearcherCache
{
    private readonly ConcurrentDictionary<int, Searcher> _searchers = new();

    public Searcher? Find(int experimentId) => _searchers.GetValueOrDefault(experimentId);

    public void Keep(int experimentId, Searcher searcher) => _searchers[experimentId] = searcher;

    public void Forget(int experimentId) => _searchers.TryRemove(experimentId, out _);
}
