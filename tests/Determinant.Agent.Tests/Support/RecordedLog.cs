using Determinant.Protocol.CoreApi;

namespace Determinant.Agent.Tests.Support;

/// <summary>A log line the fake master received, with its place among everything it received.</summary>
internal sealed record RecordedLog(long Order, TaskLog Log);
