using Determinant.Master.Auth;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using Determinant.Agent.Hosting;
using Determinant.Master.Agents;
using Determinant.Master.Hosting;
using Determinant.Protocol.Agent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Determinant.Bench;

/// <summary>
/// Free slot → trial process running, through the real master (SQLite, scheduler, controller) and the real agent, both in
/// this process: an experiment of 13 trials whose entrypoint is <c>true</c> runs on one slot, so each trial's EXITED
/// frees the slot the next waiting trial takes. The clock runs from the master receiving EXITED of one trial to it
/// receiving RUNNING of the next (first 3 gaps are warm-up). Baseline: <see cref="Process.Start(ProcessStartInfo)"/> of <c>true</c>.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class TrialLaunchBenchmark : IBenchmark
{
    private const int WarmUp = 3;
    private const int Samples = 10;
    private const double TargetMilliseconds = 300;

    private const string Config = """
        name: launch-bench
        entrypoint: "true"
        hyperparameters:
          lr: {type: double, minval: 0.1, maxval: 1.0}
        searcher:
          name: random
          metric: loss
          max_trials: 14
          max_concurrent_trials: 14
          max_length: {batches: 10}
        max_restarts: 0
        """;

    public string Name => "trial-launch";

    public string Description => $"free slot -> next trial's process running (master + agent), sandboxed and unsandboxed, median of {Samples}; "
        + $"target < {TargetMilliseconds} ms (baseline: Process.Start)";

    public bool Run(TextWriter output, string repositoryRoot) => RunAsync(output).GetAwaiter().GetResult();

    private static async Task<bool> RunAsync(TextWriter output)
    {
        // The agent's default (every trial in its sandbox) and the same run with --unsandboxed, on fresh clusters.
        var sandboxed = await MeasureAsync(unsandboxed: false);
        var unsandboxed = await MeasureAsync(unsandboxed: true);
        var direct = Baseline();
        var median = Median(sandboxed);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   free slot -> running, sandboxed: median {median:F1} ms, max {sandboxed.Max():F1} ms over {sandboxed.Count} launches"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   free slot -> running, unsandboxed: median {Median(unsandboxed):F1} ms; the sandbox costs {median - Median(unsandboxed):F1} ms per launch"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   baseline Process.Start(true): median {Median(direct):F2} ms; ratio {median / Median(direct):F1}x"));
        return median < TargetMilliseconds;
    }

    /// <summary>The launch gaps of one experiment on a fresh master and agent, the agent sandboxed or not.</summary>
    private static async Task<List<double>> MeasureAsync(bool unsandboxed)
    {
        var dataDir = Directory.CreateTempSubdirectory("det-launch-bench-").FullName;
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
            ["unsandboxed"] = unsandboxed ? "true" : "false",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        await agent.StartAsync();
        try
        {
            using var client = await LoginAsync(address);
            var created = await client.PostAsJsonAsync("/api/v1/experiments", new { config = Config, modelDefinition = Array.Empty<object>() });
            created.EnsureSuccessStatusCode();
            var id = (int)(await created.Content.ReadFromJsonAsync<JsonObject>())!["experiment"]!["id"]!;
            var deadline = DateTime.UtcNow.AddMinutes(2);
            // Each `true` exits at once without reporting; the trial ends COMPLETED (§5.4 rule 6) and frees the slot.
            while (await EndedAsync(client, id) < WarmUp + Samples + 1)
            {
                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException($"the benchmark trials did not end in 2 minutes: {await client.GetStringAsync($"/api/v1/experiments/{id}/trials")}");
                await Task.Delay(50);
            }
            var gaps = await GapsAsync(client, master, id);
            if (gaps.Count < WarmUp + Samples)
                throw new InvalidOperationException($"only {gaps.Count} launches were timed; the first trial's logs: {await client.GetStringAsync("/api/v1/trials/1/logs")}");
            return [.. gaps.Skip(WarmUp).Take(Samples)];
        }
        finally
        {
            await agent.StopAsync();
            await master.StopAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    /// <summary>For consecutive allocations on the slot: EXITED of one to RUNNING of the next, as the master heard them.</summary>
    private static async Task<List<double>> GapsAsync(HttpClient client, WebApplication master, int experimentId)
    {
        var timeline = master.Services.GetRequiredService<AllocationTimeline>();
        var trials = (await client.GetFromJsonAsync<JsonObject>($"/api/v1/experiments/{experimentId}/trials"))!["trials"]!.AsArray();
        var runs = trials.Select(t => (string)t!["taskId"]! + ".1")
            .Select(a => (Running: timeline.When(a, AllocationStates.Running), Exited: timeline.When(a, AllocationStates.Exited)))
            .Where(r => r.Running is not null && r.Exited is not null)
            .OrderBy(r => r.Running).ToList();
        return [.. runs.Zip(runs.Skip(1), (previous, next) => (next.Running!.Value - previous.Exited!.Value).TotalMilliseconds)];
    }

    private static async Task<int> EndedAsync(HttpClient client, int experimentId) =>
        (await client.GetFromJsonAsync<JsonObject>($"/api/v1/experiments/{experimentId}/trials"))!["trials"]!.AsArray()
            .Count(t => (string?)t!["state"] is "STATE_COMPLETED" or "STATE_ERROR" or "STATE_CANCELED");

    private static async Task<HttpClient> LoginAsync(string address)
    {
        var client = new HttpClient { BaseAddress = new Uri(address) };
        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { username = "admin", password = "bench-password-1" });
        login.EnsureSuccessStatusCode();
        var token = (string)(await login.Content.ReadFromJsonAsync<JsonObject>())!["token"]!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static List<double> Baseline()
    {
        var samples = new List<double>();
        for (var i = 0; i < WarmUp + Samples; i++)
        {
            var start = Stopwatch.GetTimestamp();
            using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
            var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            process.WaitForExit();
            if (i >= WarmUp)
                samples.Add(elapsed);
        }
        return samples;
    }

    private static double Median(List<double> samples)
    {
        var sorted = samples.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
