using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text.Json;
using Determinant.Agent.Hosting;
using Determinant.Protocol.Agent;
using Microsoft.Extensions.Hosting;

namespace Determinant.Bench;

/// <summary>
/// From a launch command queued at the master to the task's process running: the real agent long-polls a minimal
/// in-process master (HttpListener) and starts <c>/bin/true</c>; the clock stops when the agent's RUNNING event arrives,
/// so the figure includes the poll answer, the working directory, the process start and the event post. Baseline:
/// <see cref="Process.Start(ProcessStartInfo)"/> of the same command directly.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class AgentLaunchBenchmark : IBenchmark
{
    private const int WarmUp = 3;
    private const int Samples = 20;
    private const double TargetMilliseconds = 300;

    public string Name => "agent-launch";

    public string Description => $"command queued -> task process running through the agent, median of {Samples}; target < {TargetMilliseconds} ms (baseline: Process.Start)";

    public bool Run(TextWriter output, string repositoryRoot) => RunAsync(output).GetAwaiter().GetResult();

    private static async Task<bool> RunAsync(TextWriter output)
    {
        var workDir = Directory.CreateTempSubdirectory("det-agent-bench-").FullName;
        using var master = new MiniMaster();
        var settings = new Dictionary<string, string?>
        {
            ["master"] = master.Address,
            ["agent_token"] = MiniMaster.Token,
            ["agent_id"] = "bench-agent",
            ["slots"] = "1",
            ["work_dir"] = workDir,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        using var agent = AgentHost.Build([], settings);
        await agent.StartAsync();
        try
        {
            var viaAgent = new List<double>();
            var agentClock = new List<double>();
            for (var i = 0; i < WarmUp + Samples; i++)
            {
                var allocation = $"1.bench.{i + 1}";
                var queued = Stopwatch.GetTimestamp();
                var queuedAt = DateTimeOffset.UtcNow;
                var running = master.Launch(new LaunchCommand(allocation, "1.bench", "TRIAL", [0], ["/bin/true"], new Dictionary<string, string>()));
                var (runningEvent, arrived) = await running.WaitAsync(TimeSpan.FromSeconds(30));
                await master.Exited(allocation).WaitAsync(TimeSpan.FromSeconds(30));
                if (i < WarmUp)
                    continue;
                viaAgent.Add(Stopwatch.GetElapsedTime(queued, arrived).TotalMilliseconds);
                agentClock.Add((runningEvent.Time - queuedAt).TotalMilliseconds);
            }
            var direct = Baseline();

            var median = Median(viaAgent);
            var baseline = Median(direct);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   via the agent: median {median:F1} ms, p90 {Percentile(viaAgent, 0.9):F1} ms, max {viaAgent.Max():F1} ms (until RUNNING arrives at the master)"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   via the agent, by the agent's clock at Process.Start's return: median {Median(agentClock):F1} ms"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   baseline Process.Start(/bin/true): median {baseline:F2} ms; ratio {median / baseline:F1}x"));
            return median < TargetMilliseconds;
        }
        finally
        {
            await agent.StopAsync();
            Directory.Delete(workDir, recursive: true);
        }
    }

    private static List<double> Baseline()
    {
        var samples = new List<double>();
        for (var i = 0; i < WarmUp + Samples; i++)
        {
            var start = new ProcessStartInfo("/bin/true") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            var begin = Stopwatch.GetTimestamp();
            using var process = Process.Start(start)!;
            var elapsed = Stopwatch.GetElapsedTime(begin).TotalMilliseconds;
            process.WaitForExit();
            if (i >= WarmUp)
                samples.Add(elapsed);
        }
        return samples;
    }

    private static double Median(List<double> samples) => Percentile(samples, 0.5);

    private static double Percentile(List<double> samples, double p)
    {
        var sorted = samples.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
    }

    /// <summary>Just enough of the master's side of docs/agent-protocol.md for one agent.</summary>
    private sealed class MiniMaster : IDisposable
    {
        public const string Token = "bench-token";

        private readonly HttpListener _listener = new();
        private readonly Lock _gate = new();
        private readonly List<AgentCommand> _commands = [];
        private readonly Dictionary<string, TaskCompletionSource<(AllocationEvent, long)>> _running = [];
        private readonly Dictionary<string, TaskCompletionSource> _exited = [];
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public MiniMaster()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Address = $"http://127.0.0.1:{port}/";
            _listener.Prefixes.Add(Address);
            _listener.Start();
            _ = AcceptAsync();
        }

        public string Address { get; }

        public Task<(AllocationEvent Event, long Arrived)> Launch(LaunchCommand launch)
        {
            lock (_gate)
            {
                var running = Pending(_running, launch.AllocationId);
                Pending(_exited, launch.AllocationId);
                _commands.Add(new AgentCommand(_commands.Count + 1, launch));
                var changed = _changed;
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                changed.SetResult();
                return running.Task;
            }
        }

        public Task Exited(string allocationId)
        {
            lock (_gate)
                return _exited[allocationId].Task;
        }

        public void Dispose() => _listener.Close();

        private static TaskCompletionSource<T> Pending<T>(Dictionary<string, TaskCompletionSource<T>> map, string key)
        {
            var source = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            map[key] = source;
            return source;
        }

        private static void Pending(Dictionary<string, TaskCompletionSource> map, string key) =>
            map[key] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        private async Task AcceptAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                _ = Task.Run(() => HandleAsync(context));
            }
        }

        private async Task HandleAsync(HttpListenerContext context)
        {
            var request = context.Request;
            var response = context.Response;
            var path = request.Url!.AbsolutePath;
            try
            {
                if (request.Headers[AgentHeaders.Token] != Token)
                    response.StatusCode = 401;
                else if (path.EndsWith("/register", StringComparison.Ordinal))
                    await JsonAsync(response, new RegisterAgentResponse("bench-agent", 30, 60, 0), AgentJsonContext.Default.RegisterAgentResponse);
                else if (path.EndsWith("/commands", StringComparison.Ordinal))
                    await JsonAsync(response, await PollAsync(long.Parse(request.QueryString["after"]!, CultureInfo.InvariantCulture)),
                        AgentJsonContext.Default.AgentCommandsResponse);
                else if (path.EndsWith("/events", StringComparison.Ordinal))
                    await EventAsync(request, path.Split('/')[^2]);
                response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                // The agent went away mid-request (shutdown).
            }
        }

        private async Task<AgentCommandsResponse> PollAsync(long after)
        {
            var deadline = Task.Delay(TimeSpan.FromSeconds(30));
            while (true)
            {
                Task changed;
                lock (_gate)
                {
                    var pending = _commands.Where(c => c.Seq > after).ToList();
                    if (pending.Count > 0 || deadline.IsCompleted)
                        return new AgentCommandsResponse(pending);
                    changed = _changed.Task;
                }
                await Task.WhenAny(changed, deadline);
            }
        }

        private async Task EventAsync(HttpListenerRequest request, string allocationId)
        {
            var allocationEvent = await JsonSerializer.DeserializeAsync(request.InputStream, AgentJsonContext.Default.AllocationEvent);
            var arrived = Stopwatch.GetTimestamp();
            lock (_gate)
            {
                if (allocationEvent!.State == AllocationStates.Running && _running.TryGetValue(allocationId, out var running))
                    running.TrySetResult((allocationEvent, arrived));
                else if (allocationEvent.State == AllocationStates.Exited && _exited.TryGetValue(allocationId, out var exited))
                    exited.TrySetResult();
            }
        }

        private static async Task JsonAsync<T>(HttpListenerResponse response, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        {
            // One write with a known length: the listener then sends headers and body together (no Nagle/delayed-ACK stall).
            var body = JsonSerializer.SerializeToUtf8Bytes(value, type);
            response.ContentType = "application/json";
            response.ContentLength64 = body.Length;
            await response.OutputStream.WriteAsync(body);
        }
    }
}
