using System.Globalization;

namespace Determinant.Bench;

/// <summary>
/// examples/digits (64-256-256-10, Adam, global batch 64) trained by 1 worker process and by 2 worker processes
/// (32 records each, gradients averaged over loopback TCP) on this machine, alternating over several rounds: the
/// median per-step time of each, their ratio, and the share of the 2-worker training time spent averaging gradients.
/// </summary>
/// <remarks>
/// On a 2-core machine two workers split the same cores the single worker's torch threads used, so no speed-up is
/// expected; the figure shows what data parallelism costs here. The target is only that 2 workers finish within 3×
/// the single worker's time.
/// </remarks>
internal sealed class DigitsDataParallelBenchmark : IBenchmark
{
    public const int SchedulingUnit = 50;
    private const int Batches = 1000;
    private const int Rounds = 3;
    private const double Target = 3.0;

    public string Name => "digits-ddp";

    public string Description => $"digits MLP per-step time with 2 worker processes vs 1, and the share spent averaging gradients; within {Target:0}×";

    public static string Yaml(int slots, int batches) => $$"""
        name: digits_ddp
        hyperparameters: {{HarnessOverheadBenchmark.DigitsHyperparameters}}
        resources:
          slots_per_trial: {{slots}}
        searcher:
          name: single
          metric: validation_accuracy
          smaller_is_better: false
          max_length:
            batches: {{batches}}
        scheduling_unit: {{SchedulingUnit}}
        records_per_epoch: 1433
        checkpoint_policy: none
        entrypoint: model_def:DigitsTrial
        """;

    public bool Run(TextWriter output, string repositoryRoot)
    {
        using var scratch = new HarnessOverheadBenchmark.Scratch();
        var cache = Path.Combine(scratch.Path, "compiled");
        // Compiled once here, so that the workers find it in the cache.
        HarnessOverheadBenchmark.CompileTrial(Path.Combine(repositoryRoot, "examples", "digits"), "model_def:DigitsTrial", cache);
        var single = new List<double>();
        var pair = new List<double>();
        var shares = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            single.Add(BenchWorkers.Run(1, "digits", cache, scratch.Path, Batches.ToString(CultureInfo.InvariantCulture))["step-ms"]);
            var two = BenchWorkers.Run(2, "digits", cache, scratch.Path, Batches.ToString(CultureInfo.InvariantCulture));
            pair.Add(two["step-ms"]);
            shares.Add(two["communication-s"] / two["training-s"]);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   round {round + 1}: 1 worker {single[^1]:0.000} ms/step, 2 workers {pair[^1]:0.000} ms/step, gradient averaging {100 * shares[^1]:0.0}% of training"));
        }

        var ratio = HarnessOverheadBenchmark.Median(pair) / HarnessOverheadBenchmark.Median(single);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   median: 1 worker {HarnessOverheadBenchmark.Median(single):0.000} ms/step, 2 workers {HarnessOverheadBenchmark.Median(pair):0.000} ms/step; wall-time ratio 2/1 = {ratio:0.00}; communication {100 * HarnessOverheadBenchmark.Median(shares):0.0}% of the 2-worker step time"));
        return ratio <= Target;
    }
}
