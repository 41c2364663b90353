using System.Diagnostics;
using System.Globalization;
using Determinant.Config;
using YamlDotNet.RepresentationModel;

namespace Determinant.Bench;

/// <summary>
/// Loads and validates the iris adaptive example end to end (parse, checks, merge with the master defaults, defaults,
/// semantic checks) and compares it with parsing the same text into YamlDotNet's document model alone.
/// </summary>
internal sealed class ConfigLoadBenchmark : IBenchmark
{
    private const double TargetMilliseconds = 2.0;
    private const int WarmUp = 500;
    private const int Samples = 5000;

    // Used only when the example is absent, so the benchmark still measures the same shape of config.
    private const string FallbackYaml = """
        name: iris_adaptive_search
        entrypoint: model_def:IrisTrial
        hyperparameters:
          learning_rate: {type: log, minval: -5.0, maxval: 1.0, base: 10}
          learning_rate_decay: 1.0e-6
          layer1_dense_size: {type: int, minval: 4, maxval: 32}
          global_batch_size: {type: int, minval: 5, maxval: 30}
        records_per_epoch: 120
        min_validation_period: {batches: 1000}
        scheduling_unit: 100
        searcher:
          name: adaptive_asha
          metric: val_categorical_accuracy
          smaller_is_better: false
          max_length: {batches: 5000}
          max_trials: 6
        """;

    public string Name => "config-load";

    public string Description => $"load + validate examples/iris/adaptive.yaml; median under {TargetMilliseconds} ms (baseline: YamlStream parse only)";

    public bool Run(TextWriter output, string repositoryRoot)
    {
        var path = Path.Combine(repositoryRoot, "examples", "iris", "adaptive.yaml");
        var fromFile = File.Exists(path);
        var yaml = fromFile ? File.ReadAllText(path) : FallbackYaml;
        output.WriteLine($"   input: {(fromFile ? path : "embedded copy (examples/iris/adaptive.yaml is absent)")}");

        var options = new ConfigLoadOptions { Time = TimeProvider.System, Random = new Random(1) };
        var check = ExperimentConfigLoader.Load(yaml, options);
        if (!check.IsValid)
        {
            output.WriteLine("   the example does not load:");
            foreach (var error in check.Errors)
                output.WriteLine($"     {error}");
            return false;
        }

        var ours = MedianMilliseconds(() => ExperimentConfigLoader.Load(yaml, options));
        var baseline = MedianMilliseconds(() => new YamlStream().Load(new StringReader(yaml)));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   ours (load + validate) median {ours:F4} ms; baseline (YamlStream parse) median {baseline:F4} ms; ratio {ours / baseline:F2}x"));
        return ours < TargetMilliseconds;
    }

    private static double MedianMilliseconds(Action action)
    {
        for (var i = 0; i < WarmUp; i++)
            action();
        var samples = new double[Samples];
        for (var i = 0; i < Samples; i++)
        {
            var start = Stopwatch.GetTimestamp();
            action();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(samples);
        return samples[Samples / 2];
    }
}
