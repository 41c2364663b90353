using System.Net;
using Determinant.Master.CoreApi;
using Determinant.Master.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Determinant.Master.Tests.Integration;

/// <summary>The batched metric writer and its queue, on the real master's database (no timings: what is stored, and who hears what).</summary>
public sealed class MetricIngestionTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task WriteAsync_StoresOnceAndLaterRunReplaces_WhenOneBatchRepeatsAKey(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var trialId = await NewTrialAsync(host);
        PendingMetricReport[] batch = [Report(trialId, 1, 10, "a"), Report(trialId, 1, 10, "retry"), Report(trialId, 2, 10, "b"),
            Report(trialId, 1, 10, "stale"), Report(trialId, 2, 20, "c")];

        await host.Services.GetRequiredService<MetricBatchWriter>().WriteAsync(batch, CancellationToken.None);

        var stored = await Task.WhenAll(batch.Select(r => r.Completion));
        Assert.Equal(new[] { true, false, true, false, true }, stored);
        var rows = await RowsAsync(host, trialId);
        Assert.Equal([(10L, 2, "b"), (20L, 2, "c")], rows);
        Assert.Equal(20, await TotalBatchesAsync(host, trialId));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task WriteAsync_FailsOnlyTheBadReport_WhenItsTrialDoesNotExist(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var trialId = await NewTrialAsync(host);
        PendingMetricReport[] batch = [Report(trialId, 1, 10, "a"), Report(999_999, 1, 10, "orphan"), Report(trialId, 1, 20, "b")];

        await host.Services.GetRequiredService<MetricBatchWriter>().WriteAsync(batch, CancellationToken.None);

        Assert.True(await batch[0].Completion);
        var error = await Assert.ThrowsAsync<Errors.NotFoundException>(() => batch[1].Completion);
        Assert.Contains("999999", error.Message, StringComparison.Ordinal);
        Assert.True(await batch[2].Completion);
        Assert.Equal([(10L, 1, "a"), (20L, 1, "b")], await RowsAsync(host, trialId));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task ReportAsync_IsCanceledAndStoresNothing_WhenTheCallerGivesUpBeforeItsBatch(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var trialId = await NewTrialAsync(host);
        // A queue of its own, not started yet: nothing can be written before the caller cancels.
        using var queue = new MetricIngestQueue(host.Services.GetRequiredService<MetricBatchWriter>(), NullLogger<MetricIngestQueue>.Instance);
        using var cancel = new CancellationTokenSource();
        var canceled = queue.ReportAsync(Report(trialId, 1, 10, "gone"), cancel.Token);
        var kept = queue.ReportAsync(Report(trialId, 1, 20, "kept"), CancellationToken.None);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => canceled);

        await queue.StartAsync(CancellationToken.None);
        Assert.True(await kept.WaitAsync(TimeSpan.FromSeconds(30)));
        await queue.StopAsync(CancellationToken.None);

        Assert.Equal([(20L, 1, "kept")], await RowsAsync(host, trialId));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task ReportAsync_AppliesReportsInArrivalOrder_WhenManyQueueAtOnce(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var trialId = await NewTrialAsync(host);
        using var queue = new MetricIngestQueue(host.Services.GetRequiredService<MetricBatchWriter>(), NullLogger<MetricIngestQueue>.Instance);
        // Run ids 1..5 for the same steps, queued in that order: the last one wins whatever the batching.
        var reports = Enumerable.Range(1, 5).Select(run => queue.ReportAsync(Report(trialId, run, 10, $"run{run}"), CancellationToken.None)).ToList();
        await queue.StartAsync(CancellationToken.None);
        Assert.All(await Task.WhenAll(reports).WaitAsync(TimeSpan.FromSeconds(30)), Assert.True);
        await queue.StopAsync(CancellationToken.None);

        Assert.Equal([(10L, 5, "run5")], await RowsAsync(host, trialId));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task BatchRoute_StoresEachReportOnce_WhenTheWholeBatchIsRetried(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        var trialId = await NewTrialAsync(host);
        var batch = BatchBody(trialId, "training", 10, 20, 30);

        await admin.PostOkAsync($"/api/v1/trials/{trialId}/metrics/batch", batch);
        await admin.PostOkAsync($"/api/v1/trials/{trialId}/metrics/batch", batch);

        Assert.Equal([(10L, 1, "10"), (20L, 1, "20"), (30L, 1, "30")], await RowsAsync(host, trialId));
        Assert.Equal(30, await TotalBatchesAsync(host, trialId));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task BatchRoute_RefusesAndStoresNothing_WhenTheBatchBreaksARule(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        var trialId = await NewTrialAsync(host);
        var route = $"/api/v1/trials/{trialId}/metrics/batch";

        var validation = await admin.PostProblemAsync(route, BatchBody(trialId, "validation", 10), HttpStatusCode.BadRequest);
        var empty = await admin.PostProblemAsync(route, BatchBody(trialId, "training"), HttpStatusCode.BadRequest);
        var otherTrial = await admin.PostProblemAsync(route, BatchBody(trialId + 1, "training", 10), HttpStatusCode.BadRequest);
        var tooMany = await admin.PostProblemAsync(route, BatchBody(trialId, "training", [.. Enumerable.Range(1, 1025).Select(i => (long)i)]),
            HttpStatusCode.BadRequest);

        Assert.Contains("only training reports may be batched", (string?)validation["detail"], StringComparison.Ordinal);
        Assert.Contains("at least one report", (string?)empty["detail"], StringComparison.Ordinal);
        Assert.Contains("metrics[0]", (string?)otherTrial["detail"], StringComparison.Ordinal);
        Assert.Contains("limit of 1024", (string?)tooMany["detail"], StringComparison.Ordinal);
        Assert.Empty(await RowsAsync(host, trialId));
    }

    private static object BatchBody(int trialId, string group, params long[] steps) => new
    {
        group,
        metrics = steps.Select(s => new
        {
            trialId,
            trialRunId = 1,
            stepsCompleted = s.ToString(System.Globalization.CultureInfo.InvariantCulture),
            reportTime = DateTimeOffset.UnixEpoch.AddSeconds(s),
            metrics = new { avgMetrics = new { marker = s } },
        }).ToArray(),
    };

    private static PendingMetricReport Report(int trialId, int runId, long steps, string marker) =>
        new(trialId, runId, "training", steps, DateTime.UnixEpoch.AddSeconds(steps), "{\"avgMetrics\":{\"marker\":\"" + marker + "\"}}");

    private static async Task<int> NewTrialAsync(MasterHost host)
    {
        var admin = await host.LoginAsync();
        var experimentId = await admin.CreateExperimentAsync();
        return (int)(await admin.TrialsAsync(experimentId))[0]!["id"]!;
    }

    private static async Task<List<(long Steps, int RunId, string Marker)>> RowsAsync(MasterHost host, int trialId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var rows = await scope.ServiceProvider.GetRequiredService<MasterDbContext>().Metrics.AsNoTracking()
            .Where(m => m.TrialId == trialId).OrderBy(m => m.StepsCompleted).ToListAsync();
        // A string marker where reports go straight into the queue, a number where they come through the route (values are numbers there).
        return [.. rows.Select(r => (r.StepsCompleted, r.RunId, System.Text.Json.Nodes.JsonNode.Parse(r.MetricsJson)!["avgMetrics"]!["marker"]!.ToJsonString().Trim('"')))];
    }

    private static async Task<long> TotalBatchesAsync(MasterHost host, int trialId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<MasterDbContext>().Trials.Where(t => t.Id == trialId).Select(t => t.TotalBatches).SingleAsync();
    }
}
