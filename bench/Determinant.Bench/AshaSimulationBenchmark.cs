using System.Collections.Immutable;
using System.Diagnostics;
using Determinant.Config;
using Determinant.Searchers;
using Determinant.Searchers.Sampling;
using Determinant.Searchers.Simulation;

namespace Determinant.Bench;

/// <summary>
/// A 10,000-trial adaptive_asha search driven through the real state machine with random metrics, persisting the
/// searcher after every event as the master does (<see cref="Searcher.Save"/>), against the same run without saving.
/// </summary>
internal sealed class AshaSimulationBenchmark : IBenchmark
{
    private const int Trials = 10_000;
    private const int FullSnapshotTrials = 1_000;
    private const int FullSnapshotSampling = 100;
    private static readonly TimeSpan Target = TimeSpan.FromSeconds(2);

    public string Name => "asha-sim";

    public string Description => $"{Trials:N0}-trial adaptive_asha simulation, saved after every event; target < {Target.TotalSeconds:0} s";

    public bool Run(TextWriter output, string repositoryRoot)
    {
        // Warm up the JIT (through its tiers) on smaller runs of each kind so the timings below measure steady-state code.
        for (var i = 0; i < 3; i++)
        {
            Simulate(2_000, Persistence.None);
            Simulate(2_000, Persistence.Save);
            Simulate(300, Persistence.FullSnapshot);
        }

        var baseline = Simulate(Trials, Persistence.None);
        var saved = Simulate(Trials, Persistence.Save);
        var sampled = Simulate(Trials, Persistence.FullSnapshot, every: FullSnapshotSampling);
        var smallBaseline = Simulate(FullSnapshotTrials, Persistence.None);
        var smallFull = Simulate(FullSnapshotTrials, Persistence.FullSnapshot);

        output.WriteLine($"   {Trials:N0} trials, {saved.Events:N0} events");
        output.WriteLine($"   baseline, no persistence:        {baseline.Elapsed.TotalMilliseconds,9:F0} ms");
        output.WriteLine($"   Save() after every event:        {saved.Elapsed.TotalMilliseconds,9:F0} ms  ({Ratio(saved, baseline):F2}x baseline; "
            + $"{saved.Snapshots} snapshots, {saved.Chars / 1e6:F1} M chars written, restore check {(saved.RestoreMatches ? "ok" : "FAILED")})");
        // A full snapshot is O(state) per event, O(n²) over a run: measured on every 100th event at 10,000 trials, in full at 1,000.
        var extrapolated = (sampled.Elapsed - baseline.Elapsed) * FullSnapshotSampling + baseline.Elapsed;
        output.WriteLine($"   full Snapshot() every {FullSnapshotSampling}th event: {sampled.Elapsed.TotalMilliseconds,6:F0} ms  (after every event ≈ {extrapolated.TotalSeconds:F0} s; "
            + $"{sampled.Chars / sampled.Snapshots / 1e3:F0} K chars each on average)");
        output.WriteLine($"   {FullSnapshotTrials:N0} trials: baseline {smallBaseline.Elapsed.TotalMilliseconds:F0} ms, "
            + $"full Snapshot() after every event {smallFull.Elapsed.TotalMilliseconds:F0} ms ({Ratio(smallFull, smallBaseline):F0}x, {smallFull.Chars / 1e6:F0} M chars)");
        var met = saved.Elapsed < Target && saved.RestoreMatches;
        output.WriteLine($"   target < {Target.TotalSeconds:0} s with a save after every event: {(met ? "holds" : "MISSED")}");
        return met;
    }

    private static double Ratio(Result a, Result b) => a.Elapsed.TotalMilliseconds / Math.Max(b.Elapsed.TotalMilliseconds, 1e-3);

    private enum Persistence
    {
        None,
        Save,
        FullSnapshot,
    }

    private sealed record Result(TimeSpan Elapsed, int Events, int Snapshots, long Chars, bool RestoreMatches);

    private static Result Simulate(int trials, Persistence persistence, int every = 1)
    {
        var config = new AdaptiveAshaSearcherConfig(trials, Length.Batches(10_000)) { Metric = "loss" };
        var hps = Hps();
        var metrics = new MersenneTwister(7);
        string? stored = null;
        var journal = new List<string>();
        var snapshots = 0;
        var events = 0;
        long chars = 0;
        Func<Searcher, Searcher>? afterEvent = persistence switch
        {
            Persistence.Save => searcher =>
            {
                var save = searcher.Save();
                if (save.Snapshot is not null)
                {
                    stored = save.Snapshot;
                    journal.Clear();
                    snapshots++;
                    chars += stored.Length;
                }
                foreach (var line in save.JournalLines)
                {
                    journal.Add(line);
                    chars += line.Length;
                }
                return searcher;
            },
            Persistence.FullSnapshot => searcher =>
            {
                if (++events % every == 0)
                {
                    chars += searcher.Snapshot().Length;
                    snapshots++;
                }
                return searcher;
            },
            _ => null,
        };

        var watch = Stopwatch.StartNew();
        var sim = new SearchSimulation(Searcher.Create(config, hps, 42), (_, _) => metrics.NextUnitInterval()) { AfterEvent = afterEvent }.Run();
        watch.Stop();

        // Outside the timing: what was persisted must rebuild exactly the final state.
        var matches = persistence != Persistence.Save
            || Searcher.Restore(stored!, journal, config, hps).Snapshot() == sim.Searcher.Snapshot();
        return new Result(watch.Elapsed, sim.Events, snapshots, chars, matches);
    }

    private static ImmutableSortedDictionary<string, Hyperparameter> Hps() =>
        new Dictionary<string, Hyperparameter>
        {
            ["global_batch_size"] = new ConstHyperparameter(64),
            ["lr"] = new LogHyperparameter(-5, -1, 10),
            ["n_filters"] = new IntHyperparameter(8, 64),
        }.ToImmutableSortedDictionary(StringComparer.Ordinal);
}
