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
/// <remarks>
/// It is ready once it wrote <see cref="ReadyLine"/> on stdout; the agent reads that line, so the task's output starts
/// after it. A trial that arrives while it is still warming up starts the ordinary way (warming up costs more than a
/// fresh start) and leaves it warming for the next one.
/// </remarks>
internal sealed class StandbyHarness
{
    /// <summary>The line determinant-harness writes when warm (its Standby.ReadyLine).</summary>
    public const string ReadyLine = "determinant-harness standby ready";

    private readonly IReadOnlyList<string> _argv;
    private readonly IReadOnlyDictionary<string, string> _baseEnvironment;
    private readonly Task<bool> _ready;

    public StandbyHarness(Process process, IReadOnlyList<string> argv, IReadOnlyDictionary<string, string> baseEnvironment)
    {
        Process = process;
        _argv = argv;
        _baseEnvironment = baseEnvironment;
        _ready = ReadReadyLineAsync(process);
    }

    public Process Process { get; }

    /// <summary>Completes when the standby says it is ready (true), or ends or says something else first (false).</summary>
    public Task<bool> Ready => _ready;

    /// <summary>Warm and waiting for its task.</summary>
    public bool IsReady => _ready.IsCompletedSuccessfully && _ready.Result && !Process.HasExited;

    /// <summary>Task-for-task interchangeable with a fresh start of this launch (ready or not).</summary>
    public bool Fits(IReadOnlyList<string> launchArgv, IReadOnlyDictionary<string, string> environment) =>
        !Process.HasExited && (!_ready.IsCompleted || IsReady)
        && launchArgv.SequenceEqual(_argv, StringComparer.Ordinal) && SameBase(BaseOf(environment), _baseEnvironment);

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

    private static async Task<bool> ReadReadyLineAsync(Process process)
    {
        try
        {
            return await process.StandardOutput.ReadLineAsync().ConfigureAwait(false) == ReadyLine;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            return false;
        }
    }

    private static bool SameBase(Dictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(e => b.TryGetValue(e.Key, out var value) && value == e.Value);
}
