using Determinant.Searchers.Simulation;

namespace Determinant.Searchers.Tests;

public sealed class SnapshotTests
{
    private static void AssertSameRun(SearchSimulation expected, SearchSimulation actual)
    {
        Assert.Equal(expected.Log.Count, actual.Log.Count);
        for (var i = 0; i < expected.Log.Count; i++)
        {
            Assert.Equal(expected.Log[i].Event, actual.Log[i].Event);
            Assert.Equal(expected.Log[i].Operations, actual.Log[i].Operations);
        }
        Assert.Equal(expected.ProgressHistory, actual.ProgressHistory);
    }

    [Theory]
    [MemberData(nameof(Scenario.Names), MemberType = typeof(Scenario))]
    public void Restore_ContinuesWithIdenticalOperations_WhenRestoredAfterEveryEvent(string name)
    {
        var scenario = Scenario.Named(name);
        var baseline = scenario.Run();
        var restored = scenario.Run(searcher =>
        {
            var snapshot = searcher.Snapshot();
            var copy = Searcher.Restore(snapshot, scenario.Config, scenario.Hps);
            Assert.Equal(snapshot, copy.Snapshot());
            Assert.Equal(searcher.Progress, copy.Progress);
            return copy;
        });
        AssertSameRun(baseline, restored);
        Assert.True(baseline.Log.Count >= 5);
    }

    [Theory]
    [MemberData(nameof(Scenario.Names), MemberType = typeof(Scenario))]
    public void RestoreFromJournal_ContinuesWithIdenticalOperations_WhenSavedAfterEveryEvent(string name)
    {
        var scenario = Scenario.Named(name);
        var baseline = scenario.Run();
        string? stored = null;
        var journal = new List<string>();
        int snapshots = 0, lines = 0;
        var restored = scenario.Run(searcher =>
        {
            var save = searcher.Save();
            if (save.Snapshot is not null)
            {
                stored = save.Snapshot;
                journal.Clear();
                snapshots++;
            }
            journal.AddRange(save.JournalLines);
            lines += save.JournalLines.Count;
            return Searcher.Restore(stored!, journal, scenario.Config, scenario.Hps);
        });
        AssertSameRun(baseline, restored);
        Assert.True(snapshots >= 1 && lines > 0, $"{snapshots} snapshots, {lines} journal lines");
    }

    [Fact]
    public void Save_WritesAFreshSnapshot_WhenTheJournalOutgrowsTheLastOne()
    {
        var config = Configs.AdaptiveAsha(5000, 300);
        var sizes = new List<(int Snapshot, long JournalSince)>();
        long journal = 0;
        var sim = new SearchSimulation(Searcher.Create(config, Hps.Empty, 5), (t, l) => (t.Number * 7919 % 101) + (double)l)
        {
            AfterEvent = searcher =>
            {
                var save = searcher.Save();
                if (save.Snapshot is not null)
                {
                    sizes.Add((save.Snapshot.Length, journal));
                    journal = 0;
                }
                journal += save.JournalLines.Sum(l => l.Length);
                return searcher;
            },
        }.Run();
        Assert.True(sizes.Count >= 3, $"only {sizes.Count} snapshots over {sim.Events} events");
        // Each later snapshot comes once the journal since the previous one holds more text than that snapshot.
        for (var i = 1; i < sizes.Count; i++)
            Assert.True(sizes[i].JournalSince <= sizes[i - 1].Snapshot, $"snapshot {i}: journal {sizes[i].JournalSince} > {sizes[i - 1].Snapshot}");
        Assert.True(sizes.Count < sim.Events / 20);
    }

    [Fact]
    public void Save_JournalsEveryEventInOrder_WhenCalledAfterSeveralEvents()
    {
        var scenario = Scenario.Named("random");
        var searcher = Searcher.Create(scenario.Config, scenario.Hps, 1);
        Assert.NotNull(searcher.Save().Snapshot);
        var creates = searcher.InitialOperations().OfType<CreateTrial>().ToArray();
        searcher.TrialCreated(creates[0].RequestId);
        searcher.SetProgress(creates[0].RequestId, double.NaN);
        var save = searcher.Save();
        Assert.Null(save.Snapshot);
        Assert.Equal(3, save.JournalLines.Count);
        Assert.Contains("\"start\"", save.JournalLines[0], StringComparison.Ordinal);
        Assert.Contains("NaN", save.JournalLines[2], StringComparison.Ordinal);
        Assert.Empty(searcher.Save().JournalLines);
    }

    [Fact]
    public void Restore_Throws_WhenTheSnapshotIsOfAnotherMethod()
    {
        var snapshot = Searcher.Create(Configs.Single(), Hps.Empty, 1).Snapshot();
        Assert.Throws<FormatException>(() => Searcher.Restore(snapshot, Configs.Random(3), Hps.Empty));
        var asha = Searcher.Create(Configs.AdaptiveAsha(5000, 16), Hps.Empty, 1).Snapshot();
        Assert.Throws<FormatException>(() => Searcher.Restore(asha, Configs.AdaptiveAsha(5000, 16, mode: Config.AdaptiveMode.Conservative), Hps.Empty));
    }

    [Fact]
    public void Snapshot_KeepsTheRngState_WhenRestoredBeforeStarting()
    {
        var searcher = Searcher.Create(Configs.Random(2, maxConcurrent: 2), Hps.CreateVector, 42);
        var copy = Searcher.Restore(searcher.Snapshot(), Configs.Random(2, maxConcurrent: 2), Hps.CreateVector);
        var first = copy.InitialOperations().OfType<CreateTrial>().First();
        Assert.Equal(RequestId.Parse("6af463bb-47d4-49c7-bcae-4199142ccb98"), first.RequestId);
        Assert.Equal(searcher.InitialOperations().OfType<CreateTrial>().First(), first);
    }
}
