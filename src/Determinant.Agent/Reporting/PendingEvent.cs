using Determinant.Protocol.Agent;

namespace Determinant.Agent.Reporting;

/// <summary>An allocation event waiting to be posted, and who waits for it to land.</summary>
internal sealed record PendingEvent(string AllocationId, AllocationEvent Event, TaskCompletionSource Delivered);
