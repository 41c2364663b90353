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
    private const int Batches = 600;
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
        var batches = Batches.ToString(CultureInfo.InvariantCulture);
        // One worker gets the machine's cores as torch threads (what the agent gives a 1-slot trial) and, as a second
        // baseline, one thread; the faster of the two is the baseline.
        var single = new List<double>();
        var singleOneThread = new List<double>();
        var pair = new List<double>();
        var shares = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            single.Add(BenchWorkers.Run(1, "digits", cache, scratch.Path, batches)["step-ms"]);
            singleOneThread.Add(BenchWorkers.Run(1, 1, "digits", cache, scratch.Path, batches)["step-ms"]);
            var two = BenchWorkers.Run(2, "digits", cache, scratch.Path, batches);
            pair.Add(two["step-ms"]);
            shares.Add(two["communication-s"] / two["training-s"]);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   round {round + 1}: 1 worker {single[^1]:0.000} ms/step ({Environment.ProcessorCount} threads), {singleOneThread[^1]:0.000} ms/step (1 thread); 2 workers {pair[^1]:0.000} ms/step, gradient averaging {100 * shares[^1]:0.0}% of training"));
        }

        var baseline = Math.Min(HarnessOverheadBenchmark.Median(single), HarnessOverheadBenchmark.Median(singleOneThread));
        var ratio = HarnessOverheadBenchmark.Median(pair) / baseline;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   median: 1 worker {HarnessOverheadBenchmark.Median(single):0.000} ms/step ({Environment.ProcessorCount} threads) / {HarnessOverheadBenchmark.Median(singleOneThread):0.000} ms/step (1 thread), 2 workers {HarnessOverheadBenchmark.Median(pair):0.000} ms/step"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   wall-time ratio 2 workers / best 1 worker = {ratio:0.00}; gradient averaging (with waiting for the peer) {100 * HarnessOverheadBenchmark.Median(shares):0.0}% of the 2-worker training time"));
        return ratio <= Target;
    }
}
