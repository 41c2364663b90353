using System.Globalization;

namespace Determinant.Harness.Hosting;

/// <summary>The harness's own log lines, written to the trial's output (which the agent ships with the task logs).</summary>
/// <remarks>Thread-safe: the background reporter logs from its own task.</remarks>
internal sealed class HarnessLog(TextWriter output, TimeProvider time)
{
    private readonly Lock _gate = new();

    public void Info(string message) => Write("INFO", message);

    public void Warning(string message) => Write("WARNING", message);

    public void Error(string message) => Write("ERROR", message);

    private void Write(string level, string message)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{time.GetUtcNow():yyyy-MM-ddTHH:mm:ss.fffZ} [harness] {level} {message}");
        lock (_gate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
