using System.Text.Json.Nodes;

namespace Determinant.Searchers.Methods;

/// <summary>A trial in the current PBT population.</summary>
internal sealed class PbtMember(RequestId id, JsonObject hparams, RequestId? parent)
{
    public RequestId Id { get; } = id;

    /// <summary>Our own copy of its hyperparameters, which children are explored from.</summary>
    public JsonObject Hparams { get; } = hparams;

    public RequestId? Parent { get; } = parent;

    /// <summary>Validations this trial completed; its next target is <c>length_per_round · (RoundsDone + 1)</c>.</summary>
    public int RoundsDone { get; set; }

    /// <summary>Its sign-normalised result for the current round, or null while it has none.</summary>
    public double? Metric { get; set; }

    public bool Exited { get; set; }
}
