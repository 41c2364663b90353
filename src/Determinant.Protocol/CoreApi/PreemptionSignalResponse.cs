namespace Determinant.Protocol.CoreApi;

/// <summary>Answer of <c>GET /api/v1/allocations/{id}/signals/preemption</c>.</summary>
/// <param name="Preempt">True when the allocation must checkpoint, acknowledge and exit (pause, cancel, preemption or searcher close).</param>
public sealed record PreemptionSignalResponse(bool Preempt);
