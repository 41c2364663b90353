using System.Text.Json.Serialization;

namespace Determinant.Protocol.CoreApi;

/// <summary>Why training code stopped a trial on its own.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EarlyExitReason>))]
public enum EarlyExitReason
{
    /// <summary>The hyperparameters cannot be trained; the trial ends and the searcher moves on.</summary>
    [JsonStringEnumMemberName("EXITED_REASON_INVALID_HP")]
    InvalidHp,

    /// <summary>The training code decided to stop.</summary>
    [JsonStringEnumMemberName("EXITED_REASON_USER_REQUESTED_STOP")]
    UserRequestedStop,
}
