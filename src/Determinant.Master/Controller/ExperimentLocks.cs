using System.Collections.Concurrent;

namespace Determinant.Master.Controller;

/// <summary>One lock per experiment, so that its searcher sees one event at a time.</summary>
internal sealed class ExperimentLocks
{
    private readonly ConcurrentDictionary<int, SemaphoreSlim> _locks = new();

    public async Task<IDisposable> AcquireAsync(int experimentId, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(experimentId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Release(gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
                gate.Release();
        }
    }
}
