using System.Text.Json.Nodes;

namespace Determinant.Searchers;

/// <summary>Create a trial with these hyperparameters and this seed.</summary>
/// <param name="RequestId">The searcher's id for the new trial.</param>
/// <param name="Hparams">The sampled hyperparameters, nested dictionaries kept; the receiver owns this object.</param>
/// <param name="TrialSeed">The seed handed to user code, in 0..2^31−1.</param>
/// <param name="ParentRequestId">
/// For a PBT child, the trial whose latest checkpoint the new trial warm-starts from (its own step count starts at 0).
/// </param>
public sealed record CreateTrial(RequestId RequestId, JsonObject Hparams, uint TrialSeed, RequestId? ParentRequestId = null)
    : SearcherOperation
{
    /// <summary>Equal when every field is, comparing the hyperparameters by JSON value rather than by reference.</summary>
    public bool Equals(CreateTrial? other) =>
        other is not null
        && RequestId == other.RequestId
        && TrialSeed == other.TrialSeed
        && ParentRequestId == other.ParentRequestId
        && JsonNode.DeepEquals(Hparams, other.Hparams);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(RequestId, TrialSeed, ParentRequestId);
}
