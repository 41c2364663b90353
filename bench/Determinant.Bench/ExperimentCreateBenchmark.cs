using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using Determinant.ModelDefinitions;

namespace Determinant.Bench;

/// <summary>
/// <c>POST /api/v1/experiments</c> of examples/iris (a trial class the master compiles) through the real master: the
/// first create after start, then creates with a changed file each time (a compile, cache miss) and unchanged ones (a
/// cache hit). Baseline: the same create with a command entrypoint, which compiles nothing.
/// </summary>
internal sealed class ExperimentCreateBenchmark : IBenchmark
{
    private const double CompileTargetMilliseconds = 1500;
    private const double CachedTargetMilliseconds = 200;
    private const int Samples = 9;

    private const string Config = """
        name: create-bench
        entrypoint: model_def:IrisTrial
        hyperparameters: {global_batch_size: 30, learning_rate: 1.0e-4, learning_rate_decay: 1.0e-6, layer1_dense_size: 16}
        searcher: {name: single, metric: val_categorical_accuracy, smaller_is_better: false, max_length: {batches: 100}}
        """;

    public string Name => "experiment-create";

    public string Description =>
        $"create an iris experiment (compile at submit); median compile under {CompileTargetMilliseconds:0} ms, cache hit under {CachedTargetMilliseconds:0} ms (baseline: a command entrypoint)";

    public bool Run(TextWriter output, string repositoryRoot) => RunAsync(output, repositoryRoot).GetAwaiter().GetResult();

    private static async Task<bool> RunAsync(TextWriter output, string repositoryRoot)
    {
        var files = ModelDefinitionSources.ReadDirectory(Path.Combine(repositoryRoot, "examples", "iris"));
        // The bench's output folder holds Determinant.Harness.dll, which is all the compiler needs of the harness.
        await using var master = await BenchMaster.StartAsync("det-create-bench-", "--harness-dir", AppContext.BaseDirectory);
        using var client = await master.LoginAsync();

        var first = await TimeAsync(() => CreateAsync(client, Config, Changed(files, -1)));
        var compiles = new List<double>();
        var hits = new List<double>();
        var baseline = new List<double>();
        for (var i = 0; i < Samples; i++)
        {
            compiles.Add(await TimeAsync(() => CreateAsync(client, Config, Changed(files, i))));
            hits.Add(await TimeAsync(() => CreateAsync(client, Config, files)));
            baseline.Add(await TimeAsync(() => CreateAsync(client, Config.Replace("model_def:IrisTrial", "python3 train.py", StringComparison.Ordinal), files)));
        }
        var compile = Stats.Median(compiles);
        var hit = Stats.Median(hits);
        var plain = Stats.Median(baseline);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   first create after start:             {first,8:F1} ms"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   create with a compile (median):       {compile,8:F1} ms  ({compile / plain:F1}x baseline)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   create, compile cache hit (median):   {hit,8:F1} ms  ({hit / plain:F1}x baseline)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   baseline, command entrypoint (median):{plain,8:F1} ms; {Stats.MachineLoad()}"));
        return compile < CompileTargetMilliseconds && hit < CachedTargetMilliseconds;
    }

    private static async Task CreateAsync(HttpClient client, string config, IReadOnlyList<SourceFile> files)
    {
        var modelDefinition = files.Select(f => new { path = f.Path, type = 48, content = Convert.ToBase64String(Encoding.UTF8.GetBytes(f.Text)), mode = 420 });
        using var response = await client.PostAsJsonAsync("/api/v1/experiments", new { config, modelDefinition, activate = false });
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"create failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static List<SourceFile> Changed(IReadOnlyList<SourceFile> files, int i) =>
        [.. files.Select((f, index) => index == 0 ? f with { Text = f.Text + $"\n// sample {i}\n" } : f)];

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var start = Stopwatch.GetTimestamp();
        await action();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
}
