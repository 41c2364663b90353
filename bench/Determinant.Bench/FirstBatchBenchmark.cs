using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Determinant.Bench;

/// <summary>
/// Submit → first trained batch on a warm local cluster started with <c>./det deploy local cluster-up</c> (real master,
/// agent and harness processes): the clock runs from just before <c>POST /api/v1/experiments</c> (examples/iris with
/// <c>scheduling_unit: 1</c>, so the first training report follows the first batch) to that report's <c>reportTime</c>,
/// taken by the trial process on the same machine. "Cold" submissions carry a model definition never seen before (a
/// unique comment), so the master compiles it; "cached" ones repeat the previous content. Baseline in the same run: a
/// fresh .NET process that trains the same first batch by hand (<see cref="PlainFirstBatch"/>). "Warm" means idle: each
/// submission waits until the agent's standby harness is ready again (its log says so), as on a cluster that was not
/// just busy; the time that takes after a trial is printed too.
/// </summary>
internal sealed class FirstBatchBenchmark : IBenchmark
{
    private const int Rounds = 3;
    private const double ColdTarget = 1500;
    private const double CachedTarget = 700;
    internal const string Password = "bench-password-1";

    private const string Config = """
        name: first-batch-bench
        hyperparameters:
          learning_rate: 1.0e-4
          learning_rate_decay: 1.0e-6
          layer1_dense_size: 16
          global_batch_size: 30
        searcher:
          name: single
          metric: val_categorical_accuracy
          smaller_is_better: false
          max_length: {batches: 2}
        scheduling_unit: 1
        records_per_epoch: 120
        max_restarts: 0
        entrypoint: model_def:IrisTrial
        """;

    public string Name => "first-batch";

    public string Description =>
        $"submit -> first trained batch on a warm local cluster: cold compile < {ColdTarget} ms, cached < {CachedTarget} ms (baseline: a plain TorchSharp process to its first batch)";

    public bool Run(TextWriter output, string repositoryRoot) => RunAsync(output, repositoryRoot).GetAwaiter().GetResult();

    private static async Task<bool> RunAsync(TextWriter output, string root)
    {
        // The agent's default (every trial in its sandbox), then the same with cluster-up --unsandboxed.
        var sandboxed = await MeasureAsync(output, root, unsandboxed: false);
        var unsandboxed = await MeasureAsync(output, root, unsandboxed: true);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   the sandbox costs: cold {sandboxed.Cold - unsandboxed.Cold:F0} ms, cached {sandboxed.Cached - unsandboxed.Cached:F0} ms per submission (medians, sandboxed minus unsandboxed)"));
        return sandboxed.Cold < ColdTarget && sandboxed.Cached < CachedTarget;
    }

    /// <summary>Cold and cached submissions on a fresh local cluster, its agent sandboxed or not; prints the round's figures.</summary>
    private static async Task<(double Cold, double Cached)> MeasureAsync(TextWriter output, string root, bool unsandboxed)
    {
        var dataDir = Directory.CreateTempSubdirectory("det-first-batch-bench-").FullName;
        var port = FreePort();
        try
        {
            Det(root, ["deploy", "local", "cluster-up", "--port", $"{port}", "--data-dir", dataDir, "--slots", "1", "--initial-password", Password,
                .. unsandboxed ? new[] { "--unsandboxed" } : []]);
            using var http = await LoginAsync(new Uri($"http://127.0.0.1:{port}"));
            await WaitForAgentAsync(http);
            var iris = Path.Combine(root, "examples", "iris");
            var files = Directory.EnumerateFiles(iris, "*", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}predict{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .ToDictionary(f => Path.GetRelativePath(iris, f).Replace('\\', '/'), File.ReadAllBytes);

            var agentLog = Path.Combine(dataDir, "logs", "agent.log");
            _ = await SubmitAsync(http, Variant(files, "warm-up")); // JIT of the master's paths; not measured
            List<double> cold = [], cached = [], compile = [], plain = [], standbyReady = [];
            for (var round = 0; round < Rounds; round++)
            {
                var unique = Variant(files, Guid.NewGuid().ToString("N"));
                standbyReady.Add(await WaitForStandbyAsync(agentLog));
                var (coldMs, createMs) = await SubmitAsync(http, unique);
                cold.Add(coldMs);
                compile.Add(createMs);
                standbyReady.Add(await WaitForStandbyAsync(agentLog));
                cached.Add((await SubmitAsync(http, unique)).FirstBatch);
                plain.Add(PlainProcess(iris));
            }
            var baseline = Stats.Median(plain);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   {(unsandboxed ? "unsandboxed" : "sandboxed")}: {Rounds} rounds (cold and cached submissions interleaved with the baseline), medians; 1-slot local cluster"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   standby harness ready again after the previous trial ended: median {Stats.Median(standbyReady):F0} ms ({Join(standbyReady)})"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   baseline: plain TorchSharp process to its first batch {baseline,7:F0} ms ({Join(plain)})"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   cold:   submit -> first batch {Stats.Median(cold),7:F0} ms ({Join(cold)}); of which create (compile) {Stats.Median(compile):F0} ms; ratio to baseline {Stats.Median(cold) / baseline:F2}x; target < {ColdTarget} ms"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   cached: submit -> first batch {Stats.Median(cached),7:F0} ms ({Join(cached)}); ratio to baseline {Stats.Median(cached) / baseline:F2}x; target < {CachedTarget} ms"));
            return (Stats.Median(cold), Stats.Median(cached));
        }
        finally
        {
            try
            {
                Det(root, "deploy", "local", "cluster-down", "--data-dir", dataDir);
            }
            finally
            {
                Directory.Delete(dataDir, recursive: true);
            }
        }
    }

    private static string Join(List<double> values) => string.Join(" / ", values.Select(v => v.ToString("F0", CultureInfo.InvariantCulture)));

    private static Dictionary<string, byte[]> Variant(Dictionary<string, byte[]> files, string marker)
    {
        var copy = new Dictionary<string, byte[]>(files) { ["model_def.cs"] = [.. files["model_def.cs"], .. "\n// first-batch-bench "u8, .. System.Text.Encoding.UTF8.GetBytes(marker + "\n")] };
        return copy;
    }

    /// <summary>Submits, waits for the first training report, then for the experiment to end (so the slot is free again).</summary>
    private static async Task<(double FirstBatch, double Create)> SubmitAsync(HttpClient http, Dictionary<string, byte[]> files)
    {
        var body = new JsonObject
        {
            ["config"] = Config,
            ["activate"] = true,
            ["modelDefinition"] = new JsonArray([.. files.Select(f => (JsonNode)new JsonObject
            {
                ["path"] = f.Key, ["type"] = 48, ["content"] = Convert.ToBase64String(f.Value), ["mode"] = 420,
            })]),
        };
        var submitted = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        using var created = await http.PostAsJsonAsync("/api/v1/experiments", body);
        var createMs = clock.Elapsed.TotalMilliseconds;
        var answer = await created.Content.ReadAsStringAsync();
        if (!created.IsSuccessStatusCode)
            throw new InvalidOperationException($"create answered {(int)created.StatusCode}: {answer}");
        var experimentId = (int)JsonNode.Parse(answer)!["experiment"]!["id"]!;
        var deadline = Stopwatch.StartNew();
        DateTimeOffset? firstReport = null;
        while (firstReport is null)
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(2))
                throw new TimeoutException($"experiment {experimentId} reported no training metrics within 2 minutes");
            var trials = (await http.GetFromJsonAsync<JsonObject>($"/api/v1/experiments/{experimentId}/trials"))!["trials"]!.AsArray();
            if (trials.Count > 0)
            {
                var metrics = (await http.GetFromJsonAsync<JsonObject>($"/api/v1/trials/{(int)trials[0]!["id"]!}/metrics?group=training"))!["metrics"]!.AsArray();
                if (metrics.Count > 0)
                    firstReport = DateTimeOffset.Parse((string)metrics[0]!["reportTime"]!, CultureInfo.InvariantCulture);
            }
            if (firstReport is null)
                await Task.Delay(10);
        }
        while (true)
        {
            var state = (string)(await http.GetFromJsonAsync<JsonObject>($"/api/v1/experiments/{experimentId}"))!["experiment"]!["state"]!;
            if (state is "STATE_COMPLETED")
                break;
            if (state is "STATE_ERROR" or "STATE_CANCELED" || deadline.Elapsed > TimeSpan.FromMinutes(2))
                throw new InvalidOperationException($"experiment {experimentId} is {state}, not COMPLETED");
            await Task.Delay(50);
        }
        return ((firstReport.Value - submitted).TotalMilliseconds, createMs);
    }

    /// <summary>Waits until the agent has a ready standby harness (more "is ready" lines than handoffs); returns the wait in ms.</summary>
    private static async Task<double> WaitForStandbyAsync(string agentLog)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            string text;
            using (var stream = new FileStream(agentLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            using (var reader = new StreamReader(stream))
                text = await reader.ReadToEndAsync();
            if (Count(text, " is ready") > Count(text, " takes allocation "))
                return clock.Elapsed.TotalMilliseconds;
            if (clock.Elapsed > TimeSpan.FromMinutes(1))
                throw new TimeoutException($"the agent has no ready standby harness after a minute (see {agentLog})");
            await Task.Delay(20);
        }
    }

    private static int Count(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
            count++;
        return count;
    }

    private static double PlainProcess(string irisDirectory)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(typeof(FirstBatchBenchmark).Assembly.Location);
        info.ArgumentList.Add(PlainFirstBatch.Switch);
        info.ArgumentList.Add(irisDirectory);
        var started = DateTimeOffset.UtcNow;
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"the baseline process exited with {process.ExitCode}: {stderr.GetAwaiter().GetResult()}");
        return (DateTimeOffset.Parse(stdout.Trim().Split('\n')[^1], CultureInfo.InvariantCulture) - started).TotalMilliseconds;
    }

    internal static async Task<HttpClient> LoginAsync(Uri master)
    {
        var http = new HttpClient { BaseAddress = master };
        using var login = await http.PostAsJsonAsync("/api/v1/auth/login", new { username = "admin", password = Password });
        login.EnsureSuccessStatusCode();
        var token = (string)(await login.Content.ReadFromJsonAsync<JsonObject>())!["token"]!;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    internal static async Task WaitForAgentAsync(HttpClient http)
    {
        var deadline = Stopwatch.StartNew();
        while ((await http.GetFromJsonAsync<JsonObject>("/api/v1/agents"))!["agents"]!.AsArray().Count == 0)
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(1))
                throw new TimeoutException("no agent registered within a minute of cluster-up");
            await Task.Delay(50);
        }
    }

    internal static void Det(string root, params string[] arguments)
    {
        var info = new ProcessStartInfo(Path.Combine(root, "det")) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)) || process.ExitCode != 0)
            throw new InvalidOperationException($"det {string.Join(' ', arguments)} failed: {stderr.GetAwaiter().GetResult()}");
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
