using Determinant.Master.Auth;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using Determinant.Agent.Hosting;
using Determinant.Master.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Determinant.Bench;

/// <summary>
/// <c>POST /api/v1/notebooks</c> until <c>/proxy/&lt;id&gt;/tree</c> answers 200 from Jupyter, through the real master and
/// agent (in this process, slots 0), against the baseline in the same run: a plain <c>jupyter-notebook</c> with the same
/// flags until its <c>/tree</c> answers 200. Then the proxy's cost: <c>GET …/api/status</c> through the master against
/// the same request straight to a plain Jupyter of the same flags, p50 of 200 each; and the same for a WebSocket message
/// round trip (a kernel's <c>kernel_info_request</c> on its channels socket until its reply).
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class NotebookStartBenchmark : IBenchmark
{
    private const int Starts = 5;
    private const int Requests = 200;
    private const double TargetStartSeconds = 5;
    private const double TargetProxyMilliseconds = 2;
    private const double TargetWebSocketMilliseconds = 1;

    public string Name => "notebook-start";

    public string Description => $"det notebook start -> proxy 200 from Jupyter, median of {Starts}, target < {TargetStartSeconds} s (baseline: plain "
        + $"jupyter-notebook); proxy cost at p50 of {Requests} GETs, target < {TargetProxyMilliseconds} ms, and of {Requests} WebSocket round trips, "
        + $"target < {TargetWebSocketMilliseconds} ms";

    public bool Run(TextWriter output, string repositoryRoot) => RunAsync(output).GetAwaiter().GetResult();

    private static async Task<bool> RunAsync(TextWriter output)
    {
        var dataDir = Directory.CreateTempSubdirectory("det-notebook-bench-").FullName;
        await using var master = MasterApp.Build(["--data-dir", dataDir, "--port", "0", "--listen-address", "127.0.0.1",
            "--initial-password", "bench-password-1", "--Logging:LogLevel:Default", "Warning"]);
        await MasterApp.InitializeAsync(master, CancellationToken.None);
        await master.StartAsync();
        var address = master.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var agent = AgentHost.Build([], new Dictionary<string, string?>
        {
            ["master"] = address,
            ["agent_token"] = await master.Services.GetRequiredService<AgentCredentials>().IssueAsync("bench-agent", 1, CancellationToken.None),
            ["agent_id"] = "bench-agent",
            ["slots"] = "1",
            ["work_dir"] = Path.Combine(dataDir, "work"),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        await agent.StartAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(address) };
            var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { username = "admin", password = "bench-password-1" });
            login.EnsureSuccessStatusCode();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
                (string)(await login.Content.ReadFromJsonAsync<JsonObject>())!["token"]!);

            var platform = new List<double>();
            var plain = new List<double>();
            string? lastId = null;
            for (var i = 0; i < Starts; i++)
            {
                if (lastId is not null)
                    (await client.PostAsync($"/api/v1/notebooks/{lastId}/kill", null)).EnsureSuccessStatusCode();
                var start = Stopwatch.GetTimestamp();
                var created = await client.PostAsJsonAsync("/api/v1/notebooks", new { configYaml = "resources: {slots: 0}\n" });
                created.EnsureSuccessStatusCode();
                lastId = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["notebook"]!["id"]!;
                await UntilOkAsync(client, $"/proxy/{lastId}/tree", token: null);
                platform.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
                plain.Add(await PlainStartAsync(dataDir, i, keep: null));
            }

            // The proxy's cost on the last notebook, against a plain Jupyter of the same flags.
            var through = await TimeGetsAsync(client, $"/proxy/{lastId}/api/status");
            string? plainUrl = null;
            await PlainStartAsync(dataDir, Starts, keep: url => plainUrl = url);
            double direct;
            double wsDirect;
            using (var straight = new HttpClient())
            {
                straight.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", "bench-token");
                direct = await TimeGetsAsync(straight, $"{plainUrl}api/status");
                wsDirect = await TimeKernelRoundTripsAsync(straight, new Uri(plainUrl!), "token bench-token");
            }
            var wsThrough = await TimeKernelRoundTripsAsync(client, new Uri(new Uri(address), $"/proxy/{lastId}/"),
                "Bearer " + client.DefaultRequestHeaders.Authorization!.Parameter);
            StopKept();

            var startMedian = Stats.Median(platform);
            var plainMedian = Stats.Median(plain);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   notebook start -> proxy 200: median {startMedian:F2} s (max {platform.Max():F2} s) over {Starts}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   baseline plain jupyter-notebook -> 200: median {plainMedian:F2} s; ratio {startMedian / plainMedian:F2}x"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   GET api/status p50: through the proxy {through:F2} ms, direct {direct:F2} ms; proxy cost {through - direct:F2} ms"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   WebSocket kernel_info round trip p50: through the proxy {wsThrough:F2} ms, direct {wsDirect:F2} ms; proxy cost {wsThrough - wsDirect:F2} ms"));
            return startMedian < TargetStartSeconds && through - direct < TargetProxyMilliseconds && wsThrough - wsDirect < TargetWebSocketMilliseconds;
        }
        finally
        {
            StopKept();
            await agent.StopAsync();
            await master.StopAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static Process? _kept;

    private static void StopKept()
    {
        if (_kept is { HasExited: false })
        {
            _kept.Kill(entireProcessTree: true);
            _kept.WaitForExit();
        }
        _kept?.Dispose();
        _kept = null;
    }

    /// <summary>Seconds from starting a plain jupyter-notebook (the flags the agent uses) to its /tree answering 200; kept running when asked.</summary>
    private static async Task<double> PlainStartAsync(string dataDir, int index, Action<string>? keep)
    {
        var port = FreePort();
        var state = Path.Combine(dataDir, $"plain-{index}");
        Directory.CreateDirectory(state);
        var info = new ProcessStartInfo("jupyter-notebook")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = state,
        };
        foreach (var arg in new[]
        {
            "--no-browser", "--allow-root", "--ip=127.0.0.1", $"--port={port}", "--NotebookApp.port_retries=0",
            "--NotebookApp.base_url=/plain/", "--NotebookApp.allow_remote_access=True", $"--notebook-dir={state}",
        })
            info.ArgumentList.Add(arg);
        info.Environment["JUPYTER_TOKEN"] = "bench-token";
        info.Environment["JUPYTER_CONFIG_DIR"] = Path.Combine(state, ".jupyter", "config");
        info.Environment["JUPYTER_DATA_DIR"] = Path.Combine(state, ".jupyter", "data");
        info.Environment["JUPYTER_RUNTIME_DIR"] = Path.Combine(state, ".jupyter", "runtime");
        info.Environment["IPYTHONDIR"] = Path.Combine(state, ".jupyter", "ipython");
        var start = Stopwatch.GetTimestamp();
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/plain/");
        await UntilOkAsync(new HttpClient(), url + "tree", token: "bench-token");
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (keep is not null)
        {
            _kept = process;
            keep(url);
        }
        else
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }
        return seconds;
    }

    private static async Task UntilOkAsync(HttpClient client, string url, string? token)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (token is not null)
                request.Headers.Authorization = new AuthenticationHeaderValue("token", token);
            try
            {
                using var response = await client.SendAsync(request);
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{url} did not answer 200 within a minute");
            await Task.Delay(20);
        }
    }

    /// <summary>p50 in milliseconds of <see cref="Requests"/> sequential GETs (after 20 of warm-up).</summary>
    private static async Task<double> TimeGetsAsync(HttpClient client, string url)
    {
        var samples = new List<double>();
        for (var i = 0; i < Requests + 20; i++)
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(url);
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
            if (i >= 20)
                samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return Stats.Median(samples);
    }

    /// <summary>
    /// p50 in milliseconds of <see cref="Requests"/> WebSocket round trips (after 20 of warm-up) on a new Python kernel's
    /// channels socket of the Jupyter at <paramref name="baseUrl"/>: a <c>kernel_info_request</c> until its reply.
    /// </summary>
    private static async Task<double> TimeKernelRoundTripsAsync(HttpClient client, Uri baseUrl, string authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, "api/kernels")) { Content = JsonContent.Create(new { name = "python3" }) };
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var created = await client.SendAsync(request);
        created.EnsureSuccessStatusCode();
        var kernelId = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", authorization);
        var ws = new UriBuilder(new Uri(baseUrl, $"api/kernels/{kernelId}/channels")) { Scheme = "ws" }.Uri;
        await socket.ConnectAsync(ws, CancellationToken.None);
        var session = Guid.NewGuid().ToString("N");
        var buffer = new byte[1 << 16];
        var samples = new List<double>();
        for (var i = 0; i < Requests + 20; i++)
        {
            var msgId = Guid.NewGuid().ToString("N");
            var message = new JsonObject
            {
                ["header"] = new JsonObject { ["msg_id"] = msgId, ["username"] = "bench", ["session"] = session, ["msg_type"] = "kernel_info_request", ["version"] = "5.3" },
                ["parent_header"] = new JsonObject(),
                ["metadata"] = new JsonObject(),
                ["content"] = new JsonObject(),
                ["channel"] = "shell",
            };
            var start = Stopwatch.GetTimestamp();
            await socket.SendAsync(System.Text.Encoding.UTF8.GetBytes(message.ToJsonString()), System.Net.WebSockets.WebSocketMessageType.Text, true, CancellationToken.None);
            while (true)
            {
                using var received = new MemoryStream();
                System.Net.WebSockets.WebSocketReceiveResult part;
                do
                {
                    part = await socket.ReceiveAsync(buffer, CancellationToken.None);
                    received.Write(buffer, 0, part.Count);
                }
                while (!part.EndOfMessage);
                var reply = JsonNode.Parse(received.ToArray())!;
                if ((string?)reply["parent_header"]?["msg_id"] == msgId && (string?)reply["header"]?["msg_type"] == "kernel_info_reply")
                    break;
            }
            if (i >= 20)
                samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        return Stats.Median(samples);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
