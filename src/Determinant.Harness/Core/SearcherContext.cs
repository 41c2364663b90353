using System.Runtime.CompilerServices;
using Determinant.Harness.Loop;

namespace Determinant.Harness;

/// <summary>The searcher's operations for a script (<see cref="CoreContext.Searcher"/>).</summary>
public sealed class SearcherContext
{
    private readonly TrialSession _session;

    internal SearcherContext(TrialSession session) => _session = session;

    /// <summary>
    /// The trial's <c>ValidateAfter</c> operations, one at a time, until the searcher has none left for this trial (it closed
    /// the trial, or a stop is due). Train up to each one's <see cref="CoreSearcherOperation.Length"/>, validate, and call
    /// <see cref="CoreSearcherOperation.CompleteAsync"/> before asking for the next.
    /// </summary>
    /// <exception cref="InvalidOperationException">The next operation was asked for before the current one was completed.</exception>
    public async IAsyncEnumerable<CoreSearcherOperation> OperationsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await _session.NextOperationAsync(cancellationToken) is { } op)
        {
            var operation = new CoreSearcherOperation(_session, op);
            yield return operation;
            if (!operation.IsCompleted)
            {
                throw new InvalidOperationException(
                    $"the searcher operation to validate after {op.Length} was not completed; call CompleteAsync with the searcher metric before asking for the next operation");
            }
        }
    }
}
