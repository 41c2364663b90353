using System.Diagnostics;
using System.Globalization;
using System.Text;
using Determinant.Master.Tests.Integration;

namespace Determinant.Master.Tests.EndToEnd;

/// <summary>The real determinant-agent as a child process, connected to a test master with CPU slots.</summary>
public sealed class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AgentProcess(Process process, string workDir)
    {
        _process = process;
        WorkDir = workDir;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string WorkDir { get; }

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    public static AgentProcess Start(MasterHost host, string agentFolder, string agentId) =>
        Start(host.Client.BaseAddress!, host.DataDir, agentFolder, agentId, slots: 1);

    /// <summary>An agent of the master at <paramref name="master"/>, with the agent token from <paramref name="dataDir"/>.</summary>
    /// <param name="environment">Variables added to the agent's own environment (e.g. <c>OMP_NUM_THREADS</c> for agents sharing a machine).</param>
    public static AgentProcess Start(
        Uri master, string dataDir, string agentFolder, string agentId, int slots, IReadOnlyDictionary<string, string>? environment = null)
    {
        var workDir = Directory.CreateTempSubdirectory("det-agent-work-").FullName;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        foreach (var arg in new[] { Path.Combine(agentFolder, "determinant-agent.dll"), "--master", master.ToString(),
            "--agent-id", agentId, "--slots", slots.ToString(CultureInfo.InvariantCulture), "--work-dir", workDir,
            "--token-file", Path.Combine(dataDir, "agent_token") })
            start.ArgumentList.Add(arg);
        return new AgentProcess(Process.Start(start)!, workDir);
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
