using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Determinant.Agent.Tasks;

/// <summary>
/// One harness process started ahead of need (<c>DET_STANDBY=1</c>, see determinant-harness's Standby): it has loaded
/// the runtime and libtorch and waits on stdin for its task. It matches a launch with the same argv whose environment,
/// apart from the per-task <c>DET_*</c> variables, is the one it was started with — variables that native code reads
/// at process start must be right from the start, and only <c>DET_*</c> ones are read later, by the harness.
/// </summary>
internal sealed class StandbyHarness(Process process, IReadOnlyList<string> argv, IReadOnlyDictionary<string, string> baseEnvironment)
{
    public Process Process { get; } = process;

    public bool Matches(IReadOnlyList<string> launchArgv, IReadOnlyDictionary<string, string> environment) =>
        !Process.HasExited && launchArgv.SequenceEqual(argv, StringComparer.Ordinal) && SameBase(BaseOf(environment), baseEnvironment);

    /// <summary>Gives the process its task: one JSON line with the working directory and the whole environment; then stdin closes.</summary>
    public void HandOff(string workDirectory, IReadOnlyDictionary<string, string> environment)
    {
        using var line = new MemoryStream();
        using (var json = new Utf8JsonWriter(line))
        {
            json.WriteStartObject();
            json.WriteString("workDirectory", workDirectory);
            json.WriteStartObject("environment");
            foreach (var (name, value) in environment)
                json.WriteString(name, value);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        Process.StandardInput.WriteLine(Encoding.UTF8.GetString(line.ToArray()));
        Process.StandardInput.Close();
    }

    /// <summary>The variables a standby starts with: the task's, less the per-task <c>DET_*</c> ones.</summary>
    public static Dictionary<string, string> BaseOf(IReadOnlyDictionary<string, string> environment) =>
        environment.Where(e => !e.Key.StartsWith("DET_", StringComparison.Ordinal)).ToDictionary(StringComparer.Ordinal);

    private static bool SameBase(Dictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(e => b.TryGetValue(e.Key, out var value) && value == e.Value);
}
