using System.Text.Json.Nodes;
using Determinant.Master.CoreApi;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Master.Live;
using Determinant.Master.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Determinant.Master.Tests.Live;

/// <summary>Sampled learning curves cut in the database (docs/master.md, "Sampled learning curves").</summary>
public sealed class SamplingTests
{
    [Fact]
    public void SampleIndexes_AreEvenlySpaced_WithTheFirstAndTheLast_AndAllWhenFewEnough()
    {
        Assert.Equal([0L, 3, 6, 9], MetricSampler.SampleIndexes(10, 4));
        Assert.Equal([0L, 1, 2], MetricSampler.SampleIndexes(3, 5000));
        var cut = MetricSampler.SampleIndexes(10_001, 5000).ToList();
        Assert.Equal(5000, cut.Count);
        Assert.Equal(0, cut[0]);
        Assert.Equal(10_000, cut[^1]);
        Assert.Equal(cut.Count, cut.Distinct().Count());
    }

    [Fact]
    public async Task WarmUp_RunsTheCutOnItsOwnDatabaseInMemory()
    {
        // The warm-up at start cuts a regular and an irregular series of 2,000 reports each to 500 points.
        Assert.Equal(1000, await MetricSampler.WarmUpAsync(2, TimeSpan.Zero, CancellationToken.None));
    }

    [Fact]
    public async Task RequestWarmUps_FormatAnAnswer_AndReadTheCacheOnItsOwnInstance_LeavingTheMastersCacheEmpty()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        var scopes = host.Services.GetRequiredService<IServiceScopeFactory>();
        Assert.True(await MetricColumnCache.WarmUpAsync(scopes, CancellationToken.None));
        Assert.Equal(0, host.Services.GetRequiredService<MetricColumnCache>().Points);
        await using var scope = scopes.CreateAsyncScope();
        // Two trial objects: one with two points, one empty.
        Assert.True(await LiveEndpoints.WarmUpAsync(scope.ServiceProvider.GetRequiredService<MasterDbContext>(), CancellationToken.None) > 100);
    }

    [Fact]
    public void TryReadAverage_ReadsOneNumberOrNamedFloat_AndNothingElse()
    {
        const string Json = """{"batchMetrics":[{"a":9}],"avgMetrics":{"a":1.5,"b":"NaN","c":"text","d":[1],"e":-2}}""";
        Assert.True(MetricSeries.TryReadAverage(Json, "a"u8, out var a));
        Assert.Equal(1.5, a);
        Assert.True(MetricSeries.TryReadAverage(Json, "b"u8, out var b));
        Assert.True(double.IsNaN(b));
        Assert.True(MetricSeries.TryReadAverage(Json, "e"u8, out var e));
        Assert.Equal(-2, e);
        Assert.False(MetricSeries.TryReadAverage(Json, "c"u8, out _));
        Assert.False(MetricSeries.TryReadAverage(Json, "d"u8, out _));
        Assert.False(MetricSeries.TryReadAverage(Json, "missing"u8, out _));
        Assert.False(MetricSeries.TryReadAverage("""{"avg_metrics":{"a":""", "a"u8, out _));
        Assert.True(MetricSeries.TryReadAverage("""{"avg_metrics":{"a":2}}""", "a"u8, out var snake));
        Assert.Equal(2, snake);
    }

    [Fact]
    public void NumericAverages_ReadsNumbersAndNamedFloats_SkippingOtherValues()
    {
        var read = MetricSeries.NumericAverages("""{"avgMetrics":{"a":1.5,"b":"NaN","c":"text","d":[1],"e":-2},"batchMetrics":[{"a":9}]}""");
        Assert.Equal(["a", "b", "e"], read.Select(r => r.Name));
        Assert.Equal(1.5, read[0].Value);
        Assert.True(double.IsNaN(read[1].Value));
        Assert.Empty(MetricSeries.NumericAverages("[]"));
    }

    /// <summary>
    /// Evenly spaced steps (cut by the database), steps that only look evenly spaced (one report off the grid or missing
    /// from it, or a first stride the rest does not keep), irregular steps and a single report give the same sample as
    /// cutting the whole series by index.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task TrialsSample_CutsRegularAndIrregularSeries_ByReportIndex(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        var cases = new (string Name, long[] Steps)[]
        {
            ("regular", [.. Enumerable.Range(1, 237).Select(i => (long)i * 10)]),
            // 10..100 with 50 moved to 55: first, last and count still fit a stride of 10.
            ("offgrid", [10, 20, 30, 40, 55, 60, 70, 80, 90, 100]),
            ("irregular", [.. Enumerable.Range(1, 120).Select(i => (long)i * i)]),
            // 10..2000 without 500: first, second and last fit a stride of 10, but one report of that grid is missing.
            ("gap", [.. Enumerable.Range(1, 200).Where(i => i != 50).Select(i => (long)i * 10)]),
            // The first two steps suggest a stride of 5 that the rest does not keep.
            ("second", [10, 15, .. Enumerable.Range(3, 60).Select(i => (long)i * 10)]),
            ("single", [42]),
        };
        foreach (var (name, steps) in cases)
        {
            // One experiment (of one trial) per case.
            var id = await admin.CreateExperimentAsync();
            var trial = await TrialActor.StartAsync(host, (int)(await admin.TrialsAsync(id))[0]!["id"]!);
            foreach (var s in steps)
                (await trial.ReportAsync("training", (ulong)s, new JsonObject { ["m"] = s / 1000.0, ["other"] = 1 })).EnsureSuccessStatusCode();
            foreach (var max in new[] { 2, 3, 4, 17, steps.Length - 1, steps.Length, 5000 }.Where(m => m >= 2))
            {
                var sample = await admin.GetJsonAsync($"/api/v1/experiments/{id}/metrics-stream/trials-sample?metricName=m&metricType=training&maxDatapoints={max}");
                var series = sample["trials"]![0]!;
                var got = series["steps"]!.AsArray().Select(s => (long)s!).ToList();
                var expected = MetricSampler.SampleIndexes(steps.Length, max).Select(i => steps[i]).ToList();
                Assert.True(expected.SequenceEqual(got), $"{name}, maxDatapoints={max}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", got)}]");
                Assert.All(series["values"]!.AsArray().Zip(got), p => Assert.Equal(p.Second / 1000.0, (double)p.First!, 5));
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task TrialsSample_OfAnEvenlySpacedTrial_KeepsFirstAndLast_AndCutsByIndex(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        var id = await admin.CreateExperimentAsync();
        var trial = await TrialActor.StartAsync(host, (int)(await admin.TrialsAsync(id))[0]!["id"]!);
        const int Reports = 301;
        for (var i = 0; i < Reports; i++)
            (await trial.ReportAsync("training", (ulong)(100 + i * 7), new JsonObject { ["loss"] = i })).EnsureSuccessStatusCode();

        for (var max = 2; max <= Reports + 1; max += max < 40 ? 1 : 37)
        {
            var series = (await admin.GetJsonAsync($"/api/v1/experiments/{id}/metrics-stream/trials-sample?metricName=loss&metricType=training&maxDatapoints={max}"))["trials"]![0]!;
            var values = series["values"]!.AsArray().Select(v => (long)(double)v!).ToList();
            Assert.Equal(MetricSampler.SampleIndexes(Reports, max), values);
            Assert.Equal(100, (long)series["steps"]![0]!);
            Assert.Equal(100 + (Reports - 1) * 7, (long)series["steps"]![values.Count - 1]!);
        }
    }

    /// <summary>
    /// The columns held in memory give the database's cut (reports without the metric included), follow new reports
    /// through the metric-report signal, and are dropped once not read for the idle expiry.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task ColumnCache_CutsLikeTheDatabase_FollowsReports_AndDropsIdleColumns(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        var id = await admin.CreateExperimentAsync();
        var trial = await TrialActor.StartAsync(host, (int)(await admin.TrialsAsync(id))[0]!["id"]!);
        for (var i = 1; i <= 150; i++)
        {
            // Every 7th report lacks the metric; steps are irregular.
            var metrics = i % 7 == 0 ? new JsonObject { ["other"] = i } : new JsonObject { ["m"] = i, ["other"] = 0 };
            (await trial.ReportAsync("training", (ulong)(i * 10 + i % 3), metrics)).EnsureSuccessStatusCode();
        }
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var cache = new MetricColumnCache(host.Services.GetRequiredService<IServiceScopeFactory>(), clock, NullLogger<MetricColumnCache>.Instance);
        host.Services.GetRequiredService<MetricReportSignal>().Stored += cache.Apply;
        int[] ids = [trial.TrialId];

        Assert.Null(cache.TrySample(ids, MetricReportEntity.Training, "m", 10));
        var held = await PollAsync(() => cache.TrySample(ids, MetricReportEntity.Training, "m", 10));
        Assert.Equal(150, cache.Points);
        foreach (var max in new[] { 2, 10, 33, 149, 150, 5000 })
        {
            var fromMemory = cache.TrySample(ids, MetricReportEntity.Training, "m", max)![trial.TrialId];
            await using var scope = host.Services.CreateAsyncScope();
            var fromDatabase = (await MetricSampler.SampleAsync(scope.ServiceProvider.GetRequiredService<MasterDbContext>(), ids,
                MetricReportEntity.Training, "m", max, CancellationToken.None))[trial.TrialId];
            Assert.Equal(fromDatabase.Steps, fromMemory.Steps);
            Assert.Equal(fromDatabase.Values, fromMemory.Values);
        }
        Assert.Equal(MetricSampler.SampleIndexes(150, 10).Count(k => (k + 1) % 7 != 0), held[trial.TrialId].Steps.Length);

        (await trial.ReportAsync("training", 5000, new JsonObject { ["m"] = -1 })).EnsureSuccessStatusCode();
        var after = await PollAsync(() => cache.TrySample(ids, MetricReportEntity.Training, "m", 5000) is { } cut && cut[trial.TrialId].Steps[^1] == 5000 ? cut : null);
        Assert.Equal(-1, after[trial.TrialId].Values[^1]);
        Assert.Equal(151, cache.Points);

        clock.Advance(MetricColumnCache.IdleExpiry + TimeSpan.FromMinutes(1));
        cache.Trim();
        Assert.Equal(0, cache.Points);
        // Dropped: the next request is answered from the database again (null here) and reads the column anew.
        Assert.Null(cache.TrySample(ids, MetricReportEntity.Training, "m", 10));
        host.Services.GetRequiredService<MetricReportSignal>().Stored -= cache.Apply;
    }

    /// <summary>
    /// A cut of many trials read on several connections at once gives what one connection gives; the cache's background
    /// read waits for the task it is told to (the request's answer) before it reads anything.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task ParallelCut_MatchesOneConnection_AndTheCacheReadsOnlyAfterTheAnswer(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        var ids = new List<int>();
        for (var t = 0; t < 3 * MetricSampler.MaxConnections * 8; t++)
        {
            var trial = await TrialActor.StartAsync(host, (int)(await admin.TrialsAsync(await admin.CreateExperimentAsync()))[0]!["id"]!);
            ids.Add(trial.TrialId);
            // Every third trial has irregular steps (read whole and cut in the master); the others are evenly spaced.
            for (var i = 1; i <= 20 + t; i++)
                (await trial.ReportAsync("training", (ulong)(t % 3 == 0 ? i * i : i * 5), new JsonObject { ["m"] = t * 1000 + i })).EnsureSuccessStatusCode();
        }
        var scopes = host.Services.GetRequiredService<IServiceScopeFactory>();
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
            var one = await MetricSampler.SampleAsync(db, ids, MetricReportEntity.Training, "m", 7, CancellationToken.None);
            var many = await MetricSampler.SampleAsync(db, ids, MetricReportEntity.Training, "m", 7, CancellationToken.None, scopes);
            Assert.Equal(ids.Count, many.Count);
            foreach (var id in ids)
            {
                Assert.Equal(7, many[id].Steps.Length);
                Assert.Equal(one[id].Steps, many[id].Steps);
                Assert.Equal(one[id].Values, many[id].Values);
            }
        }

        using var cache = new MetricColumnCache(scopes, TimeProvider.System, NullLogger<MetricColumnCache>.Instance);
        var answered = new TaskCompletionSource();
        Assert.Null(cache.TrySample(ids, MetricReportEntity.Training, "m", 7, answered.Task));
        // Nothing can have been read while the answer is pending; once it is sent the columns are read.
        Assert.Equal(0, cache.Points);
        answered.SetResult();
        var held = await PollAsync(() => cache.TrySample(ids, MetricReportEntity.Training, "m", 7));
        Assert.Equal(ids.Sum(id => 20 + ids.IndexOf(id)), cache.Points);
        Assert.Equal(ids.Count, held.Count);
    }

    private static async Task<T> PollAsync<T>(Func<T?> probe) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (probe() is { } found)
                return found;
            Assert.True(DateTime.UtcNow < deadline, "the column was not read into memory within 30 s");
            await Task.Delay(20);
        }
    }
}
