using Determinant.Harness.Loop;

namespace Determinant.Harness;

/// <summary>Whether the master wants the trial to stop: pause, cancel, preemption or a searcher close (<see cref="CoreContext.Preemption"/>).</summary>
/// <remarks>
/// A script asks regularly, for example once per validation period, and on <c>true</c> stores a checkpoint and exits with
/// code 0; the trial then resumes from that checkpoint later (<see cref="CoreContext.LatestCheckpoint"/>).
/// </remarks>
public sealed class PreemptionContext
{
    private readonly TrialSession _session;
    private int _acknowledged;

    internal PreemptionContext(TrialSession session) => _session = session;

    /// <summary>Asks, without waiting, whether the trial must stop; the first <c>true</c> is acknowledged to the master.</summary>
    /// <remarks>
    /// Acknowledging makes the next clean exit count as "stopped", not "finished" (REFERENCE.md §5.4), as Determined's
    /// default <c>auto_ack</c> does. A failed request counts as <c>false</c> and is logged; the next call asks again.
    /// </remarks>
    public async Task<bool> ShouldPreemptAsync(CancellationToken cancellationToken = default)
    {
        if (!await _session.ShouldStopAsync(cancellationToken))
            return false;
        if (Interlocked.Exchange(ref _acknowledged, 1) == 0)
            await AcknowledgeAsync(cancellationToken);
        return true;
    }

    /// <summary>Acknowledges a stop signal, after the queued reports are sent; retried through transient failures.</summary>
    public Task AcknowledgeAsync(CancellationToken cancellationToken = default) => _session.AckStopAsync(cancellationToken);
}
