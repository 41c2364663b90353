namespace Determinant.Protocol.CoreApi;

/// <summary>Body of <c>POST /api/v1/allocations/{id}/all_gather</c>: one worker's contribution to the rendezvous.</summary>
/// <param name="Rank">The worker's rank, 0 to <paramref name="NumPeers"/> − 1.</param>
/// <param name="NumPeers">How many workers take part (<c>WORLD_SIZE</c>); every worker must send the same.</param>
/// <param name="Data">What the worker shares, such as the address it listens on.</param>
public sealed record AllGatherRequest(int Rank, int NumPeers, string Data);

/// <summary>Answer of <c>POST /api/v1/allocations/{id}/all_gather</c> once every worker has sent its part.</summary>
/// <param name="Data">Every worker's <see cref="AllGatherRequest.Data"/>, in rank order.</param>
public sealed record AllGatherResponse(IReadOnlyList<string> Data);
