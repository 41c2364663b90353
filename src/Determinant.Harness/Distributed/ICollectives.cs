namespace Determinant.Harness.Distributed;

/// <summary>
/// The collective operations that data-parallel training needs among the workers of a trial (docs/distributed.md). The
/// harness uses only this interface, so another transport (MPI, NCCL) can replace <see cref="TcpRingCollectives"/>
/// without a change to trial code.
/// </summary>
/// <remarks>
/// Every worker must call the same operations in the same order. An operation blocks until it is done on this worker;
/// one that waits longer than the transport's timeout, or loses a peer, throws <see cref="CollectiveException"/>.
/// Implementations are not thread-safe: one caller at a time.
/// </remarks>
public interface ICollectives : IDisposable
{
    /// <summary>This worker's rank, 0 to <see cref="Size"/> − 1.</summary>
    int Rank { get; }

    /// <summary>The number of workers.</summary>
    int Size { get; }

    /// <summary>Replaces <paramref name="values"/>, on every worker, with the element-wise sum over all workers.</summary>
    /// <exception cref="CollectiveException">A peer is gone, sent something else, or did not answer in time.</exception>
    void AllReduceSum(Span<float> values);

    /// <summary>Sends the bytes of worker <paramref name="root"/> to every worker.</summary>
    /// <param name="data">What to send; read only on <paramref name="root"/>.</param>
    /// <param name="root">The rank whose bytes everyone gets.</param>
    /// <returns>The root's bytes.</returns>
    /// <exception cref="CollectiveException">A peer is gone, sent something else, or did not answer in time.</exception>
    byte[] Broadcast(ReadOnlySpan<byte> data, int root);

    /// <summary>Gives every worker the bytes of all workers, in rank order.</summary>
    /// <exception cref="CollectiveException">A peer is gone, sent something else, or did not answer in time.</exception>
    IReadOnlyList<byte[]> AllGather(ReadOnlySpan<byte> data);
}
