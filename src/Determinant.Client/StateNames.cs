using System.Text.Json;
using Determinant.Protocol.Api;

namespace Determinant.Client;

/// <summary>States as the wire writes them (<c>STATE_ACTIVE</c>) and as people read them (<c>ACTIVE</c>).</summary>
public static class StateNames
{
    /// <summary>The wire name, e.g. <c>STATE_STOPPING_COMPLETED</c>.</summary>
    /// <param name="state">The state.</param>
    /// <returns>The name the API uses.</returns>
    public static string Wire(ExperimentState state) => JsonSerializer.Serialize(state, ApiJsonContext.Default.ExperimentState).Trim('"');

    /// <summary>The name without its <c>STATE_</c> prefix, e.g. <c>STOPPING_COMPLETED</c>.</summary>
    /// <param name="state">The state.</param>
    /// <returns>The name people read.</returns>
    public static string Display(ExperimentState state) => Strip(Wire(state));

    /// <summary>The name without its <c>STATE_</c> prefix.</summary>
    /// <param name="state">The state.</param>
    /// <returns>The name people read.</returns>
    public static string Display(TrialState state) => Strip(JsonSerializer.Serialize(state, ApiJsonContext.Default.TrialState).Trim('"'));

    /// <summary>The name without its <c>STATE_</c> prefix.</summary>
    /// <param name="state">The state.</param>
    /// <returns>The name people read.</returns>
    public static string Display(CheckpointState state) => Strip(JsonSerializer.Serialize(state, ApiJsonContext.Default.CheckpointState).Trim('"'));

    /// <summary>Whether an experiment in this state will not change any more (COMPLETED, CANCELED, ERROR, and the deletion states).</summary>
    /// <param name="state">The state.</param>
    /// <returns>True for a terminal state.</returns>
    public static bool IsTerminal(ExperimentState state) =>
        state is ExperimentState.Completed or ExperimentState.Canceled or ExperimentState.Error
            or ExperimentState.Deleting or ExperimentState.Deleted or ExperimentState.DeleteFailed;

    private static string Strip(string name) => name.StartsWith("STATE_", StringComparison.Ordinal) ? name[6..] : name;
}
