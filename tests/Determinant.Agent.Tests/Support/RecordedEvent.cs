using Determinant.Protocol.Agent;

namespace Determinant.Agent.Tests.Support;

/// <summary>An allocation event the fake master received, with its place among everything it received.</summary>
internal sealed record RecordedEvent(long Order, string AgentId, string AllocationId, AllocationEvent Event);
