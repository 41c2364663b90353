using Determinant.Protocol.Api;

namespace Determinant.Master.Domain;

/// <summary>States as the API writes them (<c>STATE_ACTIVE</c>), for messages.</summary>
internal static class StateNames
{
    public static string ToWire(this ExperimentState state) => "STATE_" + Snake(state.ToString());

    public static string ToWire(this TrialState state) => "STATE_" + Snake(state.ToString());

    /// <summary>Parses <c>STATE_ACTIVE</c>, <c>ACTIVE</c> or <c>active</c>.</summary>
    public static ExperimentState? ParseExperimentState(string text)
    {
        var bare = text.StartsWith("STATE_", StringComparison.OrdinalIgnoreCase) ? text[6..] : text;
        return Enum.GetValues<ExperimentState>().Cast<ExperimentState?>()
            .FirstOrDefault(s => string.Equals(Snake(s!.Value.ToString()), bare, StringComparison.OrdinalIgnoreCase));
    }

    private static string Snake(string pascal) =>
        string.Concat(pascal.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : c.ToString())).ToUpperInvariant();
}
