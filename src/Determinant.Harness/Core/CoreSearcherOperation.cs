using Determinant.Harness.Loop;
using Determinant.Protocol.CoreApi;

namespace Determinant.Harness;

/// <summary>One searcher operation: train until <see cref="Length"/>, validate, and complete it with the searcher metric.</summary>
public sealed class CoreSearcherOperation
{
    private readonly TrialSession _session;
    private readonly ValidateAfterOperation _operation;
    private int _completed;

    internal CoreSearcherOperation(TrialSession session, ValidateAfterOperation operation)
    {
        _session = session;
        _operation = operation;
    }

    /// <summary>The target, in the searcher's units (the experiment's <c>max_length</c> unit; a script decides what a unitless length means).</summary>
    public ulong Length => _operation.Length;

    /// <summary>Whether <see cref="CompleteAsync"/> has been called.</summary>
    public bool IsCompleted => Volatile.Read(ref _completed) == 1;

    /// <summary>Queues the progress toward <see cref="Length"/>, in the same units; only the newest queued value is sent.</summary>
    /// <returns>A task that is complete once the report is queued.</returns>
    public Task ReportProgressAsync(double length, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _session.ReportProgress(length);
        return Task.CompletedTask;
    }

    /// <summary>Completes the operation with the validation's searcher metric, after the queued reports are sent.</summary>
    /// <exception cref="InvalidOperationException">The operation was completed already.</exception>
    public async Task CompleteAsync(double searcherMetric, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _completed, 1) == 1)
            throw new InvalidOperationException($"the searcher operation to validate after {Length} was completed already");
        try
        {
            await _session.CompleteOperationAsync(_operation, searcherMetric, cancellationToken);
        }
        catch
        {
            Volatile.Write(ref _completed, 0);
            throw;
        }
    }
}
