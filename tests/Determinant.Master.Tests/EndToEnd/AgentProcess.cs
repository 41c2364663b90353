using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text;
using Determinant.Master.Tests.Integration;

namespace Determinant.Master.Tests.EndToEnd;

/// <summary>The real determinant-agent as a child process, connected to a test master with CPU slots.</summary>
public sealed class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AgentProcess(Process process, string workDir, string credentialFile)
    {
        _process = process;
        WorkDir = workDir;
        CredentialFile = credentialFile;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string WorkDir { get; }

    /// <summary>The file holding the agent's credential, which no task may read.</summary>
    public string CredentialFile { get; }

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    public static Task<AgentProcess> StartAsync(MasterHost host, string agentFolder, string agentId) =>
        StartAsync(host.Client.BaseAddress!, agentFolder, agentId, slots: 1);

    /// <summary>
    /// An agent of the master at <paramref name="master"/>, with a credential for <paramref name="agentId"/> that the test's
    /// admin issues first (<c>det agent credential create</c>), kept in a 0600 file outside the agent's work dir.
    /// </summary>
    /// <param name="environment">Variables added to the agent's own environment (e.g. <c>OMP_NUM_THREADS</c> for agents sharing a machine).</param>
    public static async Task<AgentProcess> StartAsync(
        Uri master, string agentFolder, string agentId, int slots, IReadOnlyDictionary<string, string>? environment = null)
    {
        var credentialFile = await IssueCredentialAsync(master, agentId);
        var workDir = Directory.CreateTempSubdirectory("det-agent-work-").FullName;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        foreach (var arg in new[] { Path.Combine(agentFolder, "determinant-agent.dll"), "--master", master.ToString(),
            "--agent-id", agentId, "--slots", slots.ToString(CultureInfo.InvariantCulture), "--work-dir", workDir,
            "--token-file", credentialFile })
            start.ArgumentList.Add(arg);
        return new AgentProcess(Process.Start(start)!, workDir, credentialFile);
    }

    private static async Task<string> IssueCredentialAsync(Uri master, string agentId)
    {
        using var client = new HttpClient { BaseAddress = master, Timeout = TimeSpan.FromSeconds(60) };
        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { username = "admin", password = MasterHost.Password });
        login.EnsureSuccessStatusCode();
        var token = (string)(await login.Content.ReadFromJsonAsync<JsonObject>())!["token"]!;
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var issued = await client.PostAsync($"/api/v1/agents/{agentId}/credential", null);
        issued.EnsureSuccessStatusCode();
        var file = Path.Combine(Directory.CreateTempSubdirectory("det-agent-credential-").FullName, "credential");
        await File.WriteAllTextAsync(file, (string)(await issued.Content.ReadFromJsonAsync<JsonObject>())!["credential"]! + "\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return file;
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
