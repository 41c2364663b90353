using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Determinant.Master.Tests.Integration;

namespace Determinant.Master.Tests.EndToEnd;

/// <summary>
/// The real determinant-master as a child process on 127.0.0.1 (SQLite in <see cref="DataDir"/>), so a test can SIGKILL it
/// and start another on the same data dir and port.
/// </summary>
public sealed class MasterProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private MasterProcess(Process process, string dataDir, int port)
    {
        _process = process;
        DataDir = dataDir;
        Address = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string DataDir { get; }

    public Uri Address { get; }

    public int Port => Address.Port;

    public bool HasExited => _process.HasExited;

    /// <summary>The master process's id, for reading its memory from /proc.</summary>
    public int ProcessId => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    /// <summary>A port nobody listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts a master and waits until <c>GET /health</c> answers; fails with its output if it exits first.</summary>
    public static async Task<MasterProcess> StartAsync(string masterFolder, string dataDir, int port, string harnessDir, int seconds = 60)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(masterFolder, "determinant-master.dll"), "--data-dir", dataDir,
            "--port", port.ToString(CultureInfo.InvariantCulture), "--listen-address", "127.0.0.1",
            "--initial-password", MasterHost.Password, "--harness-dir", harnessDir })
            start.ArgumentList.Add(arg);
        var master = new MasterProcess(Process.Start(start)!, dataDir, port);
        try
        {
            await master.WaitHealthyAsync(seconds);
            return master;
        }
        catch
        {
            await master.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client logged in as admin.</summary>
    public async Task<HttpClient> LoginAsync()
    {
        using var anonymous = new HttpClient { BaseAddress = Address };
        var token = (string)(await anonymous.PostOkAsync("/api/v1/auth/login", new { username = "admin", password = MasterHost.Password }))["token"]!;
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>SIGKILL for this process only (not its children), and waits for it to be gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    private async Task WaitHealthyAsync(int seconds)
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            Assert.False(_process.HasExited, $"the master exited with {(_process.HasExited ? _process.ExitCode : 0)}:\n{Output}");
            try
            {
                if ((await client.GetAsync("/health")).IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Busy starting.
            }
            Assert.True(DateTime.UtcNow < deadline, $"the master did not answer /health within {seconds} s:\n{Output}");
            await Task.Delay(100);
        }
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
            _process.Kill(entireProcessTree: false);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
