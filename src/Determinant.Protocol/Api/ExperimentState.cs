using System.Text.Json.Serialization;

namespace Determinant.Protocol.Api;

/// <summary>An experiment's state (REFERENCE.md §5.1), written with Determined's <c>STATE_</c> prefix.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ExperimentState>))]
public enum ExperimentState
{
    [JsonStringEnumMemberName("STATE_ACTIVE")] Active,
    [JsonStringEnumMemberName("STATE_PAUSED")] Paused,
    [JsonStringEnumMemberName("STATE_STOPPING_COMPLETED")] StoppingCompleted,
    [JsonStringEnumMemberName("STATE_STOPPING_CANCELED")] StoppingCanceled,
    [JsonStringEnumMemberName("STATE_STOPPING_KILLED")] StoppingKilled,
    [JsonStringEnumMemberName("STATE_STOPPING_ERROR")] StoppingError,
    [JsonStringEnumMemberName("STATE_COMPLETED")] Completed,
    [JsonStringEnumMemberName("STATE_CANCELED")] Canceled,
    [JsonStringEnumMemberName("STATE_ERROR")] Error,
    [JsonStringEnumMemberName("STATE_DELETING")] Deleting,
    [JsonStringEnumMemberName("STATE_DELETED")] Deleted,
    [JsonStringEnumMemberName("STATE_DELETE_FAILED")] DeleteFailed,
}
