using System.Text.Json.Serialization;

namespace Determinant.Protocol.Api;

/// <summary>A checkpoint's state (REFERENCE.md §4.1), written with Determined's <c>STATE_</c> prefix.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CheckpointState>))]
public enum CheckpointState
{
    [JsonStringEnumMemberName("STATE_ACTIVE")] Active,
    [JsonStringEnumMemberName("STATE_COMPLETED")] Completed,
    [JsonStringEnumMemberName("STATE_ERROR")] Error,
    [JsonStringEnumMemberName("STATE_DELETED")] Deleted,
    [JsonStringEnumMemberName("STATE_PARTIALLY_DELETED")] PartiallyDeleted,
}
