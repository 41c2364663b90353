using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Determinant.Harness;
using TorchSharp;
using static TorchSharp.torch;

namespace Determinant.Bench;

/// <summary>
/// A random search of examples/iris on a 2-slot local cluster (<c>./det deploy local cluster-up --slots 2</c>: real master,
/// agent and harness processes), as a new user would run it: trials of 10 batches, each ending with a validation and a
/// checkpoint. The clock runs from <c>POST /api/v1/experiments</c> to COMPLETED. The ideal is the trials' own compute
/// divided by the slots; that compute is measured in the same run, in this warm process: a new seeded MLP and Adam, 10
/// batches of 30, a validation over the 30 test rows and a checkpoint written to disk, median of 50 after warm-up.
/// 1,000 trials by default; <c>DET_BENCH_SEARCH_TRIALS</c> chooses another count.
/// </summary>
internal sealed class SearchThroughputBenchmark : IBenchmark
{
    private const int Slots = 2;
    private const double TargetOverIdeal = 1.05;
    private const double TargetSlotMillisecondsPerTrial = 30;

    public string Name => "search-throughput";

    public string Description =>
        $"random search, {Trials} iris trials of 10 batches on {Slots} slots: wall against ideal (trials' compute / {Slots}), target <= {TargetOverIdeal:F2}x and "
        + $"< {TargetSlotMillisecondsPerTrial} ms of slot time per trial";

    private static int Trials =>
        int.TryParse(Environment.GetEnvironmentVariable("DET_BENCH_SEARCH_TRIALS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1000;

    private static string Config(int trials) => $$"""
        name: search-throughput-bench
        hyperparameters:
          learning_rate: {type: log, minval: -4.0, maxval: -1.0, base: 10}
          learning_rate_decay: 1.0e-6
          layer1_dense_size: {type: int, minval: 4, maxval: 32}
          global_batch_size: 30
        searcher:
          name: random
          metric: val_categorical_accuracy
          smaller_is_better: false
          max_trials: {{trials}}
          max_length: {batches: 10}
        records_per_epoch: 120
        max_restarts: 0
        reproducibility: {experiment_seed: 7}
        entrypoint: model_def:IrisTrial
        """;

    public bool Run(TextWriter output, string repositoryRoot) => RunAsync(output, repositoryRoot).GetAwaiter().GetResult();

    private static async Task<bool> RunAsync(TextWriter output, string root)
    {
        var trials = Trials;
        var iris = Path.Combine(root, "examples", "iris");
        var compute = TrialComputeMilliseconds(iris);
        var dataDir = Directory.CreateTempSubdirectory("det-search-bench-").FullName;
        var port = FirstBatchBenchmark.FreePort();
        try
        {
            FirstBatchBenchmark.Det(root, "deploy", "local", "cluster-up", "--port", $"{port}", "--data-dir", dataDir, "--slots", $"{Slots}",
                "--initial-password", FirstBatchBenchmark.Password);
            using var http = await FirstBatchBenchmark.LoginAsync(new Uri($"http://127.0.0.1:{port}"));
            await FirstBatchBenchmark.WaitForAgentAsync(http);
            var files = new JsonArray([.. Directory.EnumerateFiles(iris, "*", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}predict{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .Select(f => (JsonNode)new JsonObject
                {
                    ["path"] = Path.GetRelativePath(iris, f).Replace('\\', '/'), ["type"] = 48,
                    ["content"] = Convert.ToBase64String(File.ReadAllBytes(f)), ["mode"] = 420,
                })]);

            var clock = Stopwatch.StartNew();
            using var created = await http.PostAsJsonAsync("/api/v1/experiments", new JsonObject { ["config"] = Config(trials), ["activate"] = true, ["modelDefinition"] = files });
            var answer = await created.Content.ReadAsStringAsync();
            if (!created.IsSuccessStatusCode)
                throw new InvalidOperationException($"create answered {(int)created.StatusCode}: {answer}");
            var id = (int)JsonNode.Parse(answer)!["experiment"]!["id"]!;
            while (true)
            {
                var state = (string)(await http.GetFromJsonAsync<JsonObject>($"/api/v1/experiments/{id}"))!["experiment"]!["state"]!;
                if (state == "STATE_COMPLETED")
                    break;
                if (state is "STATE_ERROR" or "STATE_CANCELED" || clock.Elapsed > TimeSpan.FromHours(2))
                    throw new InvalidOperationException($"experiment {id} is {state} after {clock.Elapsed}");
                await Task.Delay(100);
            }
            var wall = clock.Elapsed.TotalMilliseconds;
            var list = (await http.GetFromJsonAsync<JsonObject>($"/api/v1/experiments/{id}/trials"))!["trials"]!.AsArray();
            var completed = list.Count(t => (string?)t!["state"] == "STATE_COMPLETED");
            var durations = list.Where(t => t!["endTime"] is not null)
                .Select(t => (DateTime.Parse((string)t!["endTime"]!, CultureInfo.InvariantCulture) - DateTime.Parse((string)t["startTime"]!, CultureInfo.InvariantCulture)).TotalMilliseconds)
                .Order().ToList();

            var ideal = trials * compute / Slots;
            var slotPerTrial = wall * Slots / trials;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   {trials} trials ({completed} COMPLETED) on {Slots} slots: wall {wall / 1000:F1} s; ideal {ideal / 1000:F2} s ({compute:F1} ms of compute per trial, measured in-process); ratio {wall / ideal:F1}x"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   slot time per trial {slotPerTrial:F0} ms, of which platform {slotPerTrial - compute:F0} ms; trial created -> ended (queueing included) p10 {Stats.Percentile(durations, 10):F0} / p50 {Stats.Median(durations):F0} / p90 {Stats.Percentile(durations, 90):F0} ms"));
            return wall / ideal <= TargetOverIdeal && slotPerTrial < TargetSlotMillisecondsPerTrial;
        }
        finally
        {
            try
            {
                FirstBatchBenchmark.Det(root, "deploy", "local", "cluster-down", "--data-dir", dataDir);
            }
            finally
            {
                Directory.Delete(dataDir, recursive: true);
            }
        }
    }

    /// <summary>
    /// What one trial of the search computes, without the platform: a new seeded model and optimizer, 10 batches of 30,
    /// a validation over the test rows and a checkpoint of the weights; the median of 50 in milliseconds, after 10 of warm-up.
    /// </summary>
    private static double TrialComputeMilliseconds(string iris)
    {
        TorchRuntime.EnsureLoaded();
        static float[][] Read(string path) => [.. File.ReadLines(path).Skip(1).Select(l => l.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray())];
        var train = Read(Path.Combine(iris, "data", "iris_training.csv"));
        var test = Read(Path.Combine(iris, "data", "iris_test.csv"));
        var checkpoint = Path.Combine(Path.GetTempPath(), $"det-search-bench-{Environment.ProcessId}.pt");
        var samples = new List<double>();
        try
        {
            for (var i = 0; i < 60; i++)
            {
                var start = Stopwatch.GetTimestamp();
                using (var scope = torch.NewDisposeScope())
                {
                    torch.manual_seed(i);
                    var model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3));
                    var optimizer = optim.Adam(model.parameters(), lr: 1e-3);
                    for (var batch = 0; batch < 10; batch++)
                    {
                        var rows = Enumerable.Range(0, 30).Select(r => train[((batch * 30) + r) % train.Length]).ToArray();
                        using var step = torch.NewDisposeScope();
                        var inputs = tensor(rows.SelectMany(r => r[..4]).ToArray(), [rows.Length, 4]);
                        var targets = tensor(rows.Select(r => (long)r[4]).ToArray());
                        optimizer.zero_grad();
                        var loss = nn.functional.cross_entropy(model.forward(inputs), targets);
                        loss.backward();
                        optimizer.step();
                        _ = loss.item<float>();
                    }
                    using (torch.no_grad())
                    {
                        var inputs = tensor(test.SelectMany(r => r[..4]).ToArray(), [test.Length, 4]);
                        var targets = tensor(test.Select(r => (long)r[4]).ToArray());
                        _ = model.forward(inputs).argmax(1).eq(targets).sum().item<long>();
                    }
                    model.save(checkpoint);
                }
                if (i >= 10)
                    samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }
        finally
        {
            File.Delete(checkpoint);
        }
        return Stats.Median(samples);
    }
}
