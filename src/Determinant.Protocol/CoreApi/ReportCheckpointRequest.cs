using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Determinant.Protocol.CoreApi;

/// <summary>Body of <c>POST /api/v1/checkpoints</c>: a checkpoint the training code finished writing.</summary>
/// <param name="TaskId">The task that wrote it.</param>
/// <param name="AllocationId">The allocation that wrote it.</param>
/// <param name="Uuid">The checkpoint's id, chosen by the writer; also its directory name.</param>
/// <param name="ReportTime">When it was reported (UTC).</param>
/// <param name="Resources">Relative path to size in bytes (as strings on the wire); directories end in <c>/</c> with size 0.</param>
/// <param name="Metadata">The content of <c>metadata.json</c>; it must hold <c>steps_completed</c>.</param>
/// <param name="State"><see cref="CheckpointStates.Completed"/> when reported by training code.</param>
/// <param name="StorageId">The storage it lives in, when the master assigned one.</param>
public sealed record ReportCheckpointRequest(
    string TaskId,
    string AllocationId,
    string Uuid,
    DateTimeOffset ReportTime,
    [property: JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)] IReadOnlyDictionary<string, long> Resources,
    JsonObject Metadata,
    string State,
    int? StorageId = null);
