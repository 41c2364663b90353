using System.Text.Json.Serialization;

namespace Determinant.Protocol.CoreApi;

/// <summary>What the training code is doing now; shown in the UI.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunnerState>))]
public enum RunnerState
{
    /// <summary>Training batches.</summary>
    [JsonStringEnumMemberName("training")]
    Training,

    /// <summary>Computing validation metrics.</summary>
    [JsonStringEnumMemberName("validating")]
    Validating,

    /// <summary>Writing a checkpoint.</summary>
    [JsonStringEnumMemberName("checkpointing")]
    Checkpointing,
}
