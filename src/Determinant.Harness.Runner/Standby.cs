using System.Text.Json;
using Determinant.Harness;

namespace Determinant.Harness.Runner;

/// <summary>
/// A harness process started ahead of need: with <c>DET_STANDBY=1</c> it loads the .NET runtime's and libtorch's code
/// paths (a built-in two-batch trial through the whole harness), then waits for its task on standard input — one JSON line with the working directory
/// and the task's full environment (<see cref="Handoff"/>). The agent keeps one such process per harness command, so a
/// trial starts without paying for process start, libtorch load and JIT. EOF instead of a line means the agent no longer
/// needs it. Only the agent's handshake is trusted; nothing else writes to this stdin.
/// </summary>
internal static class Standby
{
    public const string Variable = "DET_STANDBY";

    /// <summary>Written to stdout once warm; the agent's StandbyHarness waits for exactly this line.</summary>
    public const string ReadyLine = "determinant-harness standby ready";

    public static bool Requested => Environment.GetEnvironmentVariable(Variable) == "1";

    /// <summary>Warms up, then blocks for the handoff; applies it and returns true, or false on EOF.</summary>
    public static async Task<bool> WaitForTaskAsync()
    {
        await HarnessMain.WarmUpAsync(CancellationToken.None).ConfigureAwait(false);
        // The agent reads this one line before it hands the process a task; everything after it is the task's output.
        await Console.Out.WriteLineAsync(ReadyLine).ConfigureAwait(false);
        await Console.Out.FlushAsync().ConfigureAwait(false);
        var line = await Console.In.ReadLineAsync().ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(line))
            return false;
        var handoff = JsonSerializer.Deserialize(line, StandbyJson.Default.Handoff)
            ?? throw new InvalidDataException("the standby handoff line was empty JSON");
        Environment.SetEnvironmentVariable(Variable, null);
        foreach (var (name, value) in handoff.Environment)
            Environment.SetEnvironmentVariable(name, value);
        Directory.SetCurrentDirectory(handoff.WorkDirectory);
        return true;
    }
}
