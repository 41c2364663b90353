namespace Determinant.Protocol.CoreApi;

/// <summary>Body of <c>POST /api/v1/task/logs</c>: a batch of lines, in order.</summary>
/// <param name="Logs">The lines.</param>
public sealed record PostTaskLogsRequest(IReadOnlyList<TaskLog> Logs);
