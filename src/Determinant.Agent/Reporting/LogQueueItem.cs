using Determinant.Protocol.CoreApi;

namespace Determinant.Agent.Reporting;

/// <summary>A log line to ship, or a flush marker completed once every line queued before it reached the master.</summary>
internal readonly record struct LogQueueItem(TaskLog? Log, TaskCompletionSource? Flushed);
