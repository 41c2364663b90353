using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Determinant.Master.ResourceManagers;
using Determinant.Master.Tasks;
using Determinant.Master.CoreApi;
using Determinant.Master.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Determinant.Bench;

/// <summary>
/// 50 tasks report training metrics for their own trials as fast as they can, over HTTP with their allocation tokens,
/// to the real master on a SQLite file, in two ways: one report per request (<c>POST …/metrics</c>), and as the
/// harness sends reports that pile up behind a call in flight, <see cref="BatchSize"/> per request
/// (<c>POST …/metrics/batch</c>). Baseline in the same run: the same loops against a trivial endpoint (same routes,
/// bodies and JSON binding; no auth, no database) in this process. Rounds alternate baseline and master after a warm-up.
/// The target is judged on the harness's way of sending; the one-per-request figure shows the HTTP floor of this machine.
/// </summary>
internal sealed class MetricIngestBenchmark : IBenchmark
{
    private const int Reporters = 50;
    private const int Rounds = 3;
    private const int MaxPerReporterPerRound = 40_000;
    private const int BatchSize = 10;
    private const double TargetPerSecond = 20_000;
    private const double TargetP99Milliseconds = 50;
    private static readonly TimeSpan RoundLength = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);

    private const string Config = """
        name: ingest-bench
        entrypoint: "true"
        hyperparameters:
          lr: {type: double, minval: 0.1, maxval: 1.0}
        searcher:
          name: random
          metric: loss
          max_trials: 50
          max_concurrent_trials: 50
          max_length: {batches: 100000000}
        """;

    public string Name => "metric-ingest";

    public string Description =>
        $"{Reporters} tasks POST training metrics over HTTP to the master on SQLite, singly and {BatchSize} per call as the harness batches; target >= {TargetPerSecond:N0} reports/s and p99 < {TargetP99Milliseconds} ms (baseline: trivial endpoint)";

    public bool Run(TextWriter output, string repositoryRoot) => RunAsync(output).GetAwaiter().GetResult();

    private static async Task<bool> RunAsync(TextWriter output)
    {
        output.WriteLine($"   machine before: {Stats.MachineLoad()}");
        await using var master = await BenchMaster.StartAsync("det-ingest-bench-");
        var (trivial, trivialAddress) = await TrivialEndpointHost.StartAsync();
        await using var _ = trivial;
        var tokens = await StartTrialsAsync(master);
        using var handler = new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        var ours = Clients(handler, master.Address, tokens);
        var floor = Clients(handler, trivialAddress, tokens);
        var steps = new long[Reporters];
        var acknowledged = 0L;
        Task Report(List<(HttpClient Client, int TrialId)> to, int w, bool count) =>
            PostAsync(to[w].Client, to[w].TrialId, ++steps[w], count ? () => Interlocked.Increment(ref acknowledged) : null);
        Task ReportBatch(List<(HttpClient Client, int TrialId)> to, int w, bool count)
        {
            var first = steps[w] + 1;
            steps[w] += BatchSize;
            return PostBatchAsync(to[w].Client, to[w].TrialId, first, count ? () => Interlocked.Add(ref acknowledged, BatchSize) : null);
        }

        await LoadLoop.RunAsync(Reporters, WarmUp, MaxPerReporterPerRound, (w, _) => Report(floor, w, false));
        await LoadLoop.RunAsync(Reporters, WarmUp, MaxPerReporterPerRound, (w, _) => Report(ours, w, true));
        await LoadLoop.RunAsync(Reporters, WarmUp, MaxPerReporterPerRound, (w, _) => ReportBatch(ours, w, true));
        List<LoadResult> baseline = [], single = [], baselineBatched = [], batched = [];
        for (var round = 0; round < Rounds; round++)
        {
            baseline.Add(await LoadLoop.RunAsync(Reporters, RoundLength, MaxPerReporterPerRound, (w, _) => Report(floor, w, false)));
            single.Add(await LoadLoop.RunAsync(Reporters, RoundLength, MaxPerReporterPerRound, (w, _) => Report(ours, w, true)));
            baselineBatched.Add(await LoadLoop.RunAsync(Reporters, RoundLength, MaxPerReporterPerRound, (w, _) => ReportBatch(floor, w, false)));
            batched.Add(await LoadLoop.RunAsync(Reporters, RoundLength, MaxPerReporterPerRound, (w, _) => ReportBatch(ours, w, true)));
        }
        // Latency at the target rate: 50 reporters x 40 batches of 10 per second = 20,000 reports/s offered.
        var pacedInterval = TimeSpan.FromSeconds(Reporters * BatchSize / TargetPerSecond);
        List<LoadResult> paced = [];
        for (var round = 0; round < Rounds; round++)
            paced.Add(await LoadLoop.RunPacedAsync(Reporters, RoundLength, pacedInterval, (w, _) => ReportBatch(ours, w, true)));
        var stored = await CountStoredAsync(master);
        var (transactions, written) = master.Services.GetRequiredService<MetricIngestQueue>().Written;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   group commit: {written:N0} reports in {transactions:N0} transactions ({(double)written / transactions:F1} per transaction)"));
        output.WriteLine($"   machine during: {Stats.MachineLoad()}");
        Print(output, "baseline, 1 per request (trivial endpoint)", baseline, 1);
        Print(output, "master, 1 per request (auth + ingest + SQLite)", single, 1);
        Print(output, $"baseline, {BatchSize} per request (trivial endpoint)", baselineBatched, BatchSize);
        Print(output, $"master, {BatchSize} per request (harness batching)", batched, BatchSize);
        Print(output, $"master at {TargetPerSecond:N0} reports/s offered, {BatchSize} per request (open loop)", paced, BatchSize);
        var rate = Stats.Median(batched.Select(r => r.PerSecond)) * BatchSize;
        var p99 = Stats.Median(paced.Select(r => r.Percentile(99)));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   ratio master/baseline throughput: 1 per request {Stats.Median(single.Select(r => r.PerSecond)) / Stats.Median(baseline.Select(r => r.PerSecond)):F2}, "
            + $"{BatchSize} per request {Stats.Median(batched.Select(r => r.PerSecond)) / Stats.Median(baselineBatched.Select(r => r.PerSecond)):F2}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   judged ({BatchSize} per request): {rate:N0} reports/s at saturation, p99 {p99:F1} ms at {TargetPerSecond:N0}/s offered; rows stored {stored:N0} = acknowledged {acknowledged:N0}: {stored == acknowledged}"));
        output.WriteLine($"   machine after: {Stats.MachineLoad()}");
        return rate >= TargetPerSecond && p99 < TargetP99Milliseconds && stored == acknowledged;
    }

    private static void Print(TextWriter output, string what, List<LoadResult> rounds, int reportsPerRequest)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   {what}: {string.Join(" / ", rounds.Select(r => (r.PerSecond * reportsPerRequest).ToString("N0", CultureInfo.InvariantCulture)))} reports/s (median {Stats.Median(rounds.Select(r => r.PerSecond)) * reportsPerRequest:N0}); "
            + $"request p50 {Stats.Median(rounds.Select(r => r.Percentile(50))):F2} ms, p99 {string.Join(" / ", rounds.Select(r => r.Percentile(99).ToString("F1", CultureInfo.InvariantCulture)))} ms, max {rounds.Max(r => r.SortedLatencies[^1]):F1} ms; "
            + $"CPU (client + server) {Stats.Median(rounds.Select(r => r.CpuMicrosecondsPerRequest)) / reportsPerRequest:F0} us/report"));
    }

    private static async Task PostAsync(HttpClient client, int trialId, long steps, Func<long>? acknowledged)
    {
        var body = string.Create(CultureInfo.InvariantCulture,
            $"{{\"group\":\"training\",\"metrics\":{{\"trialId\":{trialId},\"trialRunId\":1,\"stepsCompleted\":\"{steps}\",\"reportTime\":\"2026-01-01T00:00:00Z\","
            + $"\"metrics\":{{\"avgMetrics\":{{\"loss\":{1.0 / steps},\"accuracy\":0.5}}}}}}}}");
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync($"/api/v1/trials/{trialId}/metrics", content).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"report answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}");
        acknowledged?.Invoke();
    }

    private static async Task PostBatchAsync(HttpClient client, int trialId, long firstStep, Func<long>? acknowledged)
    {
        var body = new StringBuilder("{\"group\":\"training\",\"metrics\":[");
        for (var steps = firstStep; steps < firstStep + BatchSize; steps++)
        {
            body.Append(CultureInfo.InvariantCulture, $"{(steps == firstStep ? "" : ",")}{{\"trialId\":{trialId},\"trialRunId\":1,\"stepsCompleted\":\"{steps}\",")
                .Append(CultureInfo.InvariantCulture, $"\"reportTime\":\"2026-01-01T00:00:00Z\",\"metrics\":{{\"avgMetrics\":{{\"loss\":{1.0 / steps},\"accuracy\":0.5}}}}}}");
        }
        using var content = new StringContent(body.Append("]}").ToString(), Encoding.UTF8, "application/json");
        using var response = await client.PostAsync($"/api/v1/trials/{trialId}/metrics/batch", content).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"batch report answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}");
        acknowledged?.Invoke();
    }

    private static List<(HttpClient, int)> Clients(SocketsHttpHandler handler, Uri address, List<(int TrialId, string Token)> tokens) =>
        [.. tokens.Select(t =>
        {
            var client = new HttpClient(handler, disposeHandler: false) { BaseAddress = address };
            client.DefaultRequestHeaders.Add("x-allocation-token", t.Token);
            return (client, t.TrialId);
        })];

    /// <summary>Submits the experiment (no agent, so its trials wait) and starts an allocation per trial as a scheduler would.</summary>
    private static async Task<List<(int TrialId, string Token)>> StartTrialsAsync(BenchMaster master)
    {
        using var admin = await master.LoginAsync();
        var created = await admin.PostAsJsonAsync("/api/v1/experiments", new { config = Config, modelDefinition = Array.Empty<object>() });
        created.EnsureSuccessStatusCode();
        var id = (int)(await created.Content.ReadFromJsonAsync<JsonObject>())!["experiment"]!["id"]!;
        var trials = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/experiments/{id}/trials"))!["trials"]!.AsArray()
            .Select(t => (int)t!["id"]!).ToList();
        if (trials.Count != Reporters)
            throw new InvalidOperationException($"the experiment has {trials.Count} trials, not {Reporters}");
        var allocations = master.Services.GetRequiredService<AllocationService>();
        var taskIds = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/experiments/{id}/trials"))!["trials"]!.AsArray()
            .ToDictionary(t => (int)t!["id"]!, t => (string)t!["taskId"]!);
        List<(int, string)> tokens = [];
        foreach (var trial in trials)
        {
            var start = await allocations.StartAsync(taskIds[trial], new AllocatedResources(1, "default"), CancellationToken.None)
                ?? throw new InvalidOperationException($"trial {trial} did not start");
            tokens.Add((trial, start.Spec.Env["DET_SESSION_TOKEN"]));
        }
        return tokens;
    }

    private static async Task<long> CountStoredAsync(BenchMaster master)
    {
        await using var scope = master.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<MasterDbContext>().Metrics.LongCountAsync();
    }
}
