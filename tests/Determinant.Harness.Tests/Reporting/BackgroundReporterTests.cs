using System.Text.Json.Nodes;
using Determinant.Harness.Hosting;
using Determinant.Harness.Reporting;
using Determinant.Harness.Tests.Fakes;
using Determinant.Harness.Tests.Support;
using Determinant.Protocol.CoreApi;

namespace Determinant.Harness.Tests.Reporting;

/// <summary>The background reporter delivers through outages, merges what queued up, and flushes within a bound at exit.</summary>
public sealed class BackgroundReporterTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly ManualTimeProvider _time = new();
    private readonly StringWriter _log = new();

    public void Dispose() => _log.Dispose();

    [Fact]
    public async Task Reporter_DeliversEveryReportInOrder_WhenMasterIsDownForThirtySeconds()
    {
        var api = new FlakyCoreApi(_time) { DownUntil = _time.Start.AddSeconds(30) };
        var reporter = Create(api);
        for (var step = 1UL; step <= 20; step++)
            reporter.Enqueue(Training(step));

        DriveUntil(() => api.DeliveredCount == 20);
        await reporter.DisposeAsync();

        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"training {i}"), api.Delivered.Select(d => d.Call));
        Assert.Equal(0, reporter.Dropped);
        Assert.True(api.Failures.Count >= 5, $"{api.Failures.Count} failed attempts");
        Assert.All(api.Delivered, d => Assert.True(d.At >= _time.Start.AddSeconds(30)));
        Assert.True(api.Delivered[0].At < _time.Start.AddSeconds(40), $"delivered at {api.Delivered[0].At}");
        Assert.Contains("retrying in", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reporter_DropsWhatIsLeftAfterFlushTimeout_WhenMasterStaysDownAtExit()
    {
        var api = new FlakyCoreApi(_time) { DownUntil = DateTimeOffset.MaxValue };
        var reporter = Create(api);
        reporter.Enqueue(Training(1));
        reporter.Enqueue(Training(2));

        var disposal = reporter.DisposeAsync().AsTask();
        DriveUntil(() => disposal.IsCompleted);
        await disposal;

        Assert.Empty(api.Delivered);
        Assert.Equal(2, reporter.Dropped);
        Assert.InRange(_time.GetUtcNow() - _time.Start, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(61));
        Assert.Contains("2 report(s) lost", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reporter_SendsLogLinesInOneCallAndOnlyNewestProgress_WhenTheyQueueBehindASlowReport()
    {
        var api = new FlakyCoreApi(_time) { HoldFirstReport = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var reporter = Create(api);
        reporter.Enqueue(Training(1));
        Assert.True(SpinWait.SpinUntil(() => api.FirstReportStarted, Deadline));
        foreach (var line in new[] { "a", "b", "c" })
            reporter.Enqueue(new PendingReport(PendingReportKind.Log, "log", Log: new TaskLog("t", "a", null, null, 0, _time.GetUtcNow(), null, "stdout", "test", line)));
        foreach (var progress in new[] { 1.0, 2.0, 3.0 })
            reporter.Enqueue(new PendingReport(PendingReportKind.Latest, "progress", (a, ct) => a.ReportProgressAsync(1, new ReportTrialProgressRequest(progress), ct)));
        reporter.Enqueue(Training(2));

        api.HoldFirstReport.SetResult();
        await reporter.FlushAsync(CancellationToken.None);
        await reporter.DisposeAsync();

        Assert.Equal(["training 1", "progress 3", "training 2", "logs abc"], api.Delivered.Select(d => d.Call));
    }

    [Fact]
    public async Task Reporter_SendsQueuedTrainingReportsAsOneBatch_WhenOnlyProgressSeparatesThem()
    {
        var api = new FlakyCoreApi(_time) { HoldFirstReport = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var reporter = Create(api);
        reporter.Enqueue(Training(1, batchable: true));
        Assert.True(SpinWait.SpinUntil(() => api.FirstReportStarted, Deadline));
        for (var step = 2UL; step <= 4; step++)
        {
            var progress = new ReportTrialProgressRequest(step);
            reporter.Enqueue(Training(step, batchable: true));
            reporter.Enqueue(new PendingReport(PendingReportKind.Latest, "progress", (a, ct) => a.ReportProgressAsync(1, progress, ct)));
        }
        reporter.Enqueue(new PendingReport(PendingReportKind.Every, "runner state", (a, ct) => a.ReportRunnerStateAsync(1, new ReportRunnerStateRequest(RunnerState.Validating), ct)));
        reporter.Enqueue(Training(5, batchable: true));

        api.HoldFirstReport.SetResult();
        await reporter.FlushAsync(CancellationToken.None);
        await reporter.DisposeAsync();

        Assert.Equal(["training 1", "training batch 2,3,4", "progress 4", "state Validating", "training 5"], api.Delivered.Select(d => d.Call));
    }

    [Fact]
    public async Task Reporter_FlushReturnsAfterEverythingQueuedBeforeIt()
    {
        var api = new FlakyCoreApi(_time);
        var reporter = Create(api);
        reporter.Enqueue(Training(1));
        reporter.Enqueue(Training(2));

        await reporter.FlushAsync(CancellationToken.None).WaitAsync(Deadline);

        Assert.Equal(2, api.DeliveredCount);
        await reporter.DisposeAsync();
    }

    private BackgroundReporter Create(FlakyCoreApi api)
    {
        var log = new HarnessLog(_log, _time);
        return new BackgroundReporter(api, new RetryPolicy(_time, log), log, _time, TimeSpan.FromSeconds(60));
    }

    private static PendingReport Training(ulong steps, bool batchable = false)
    {
        var metrics = new TrialMetrics(1, 1, steps, DateTimeOffset.UnixEpoch, new TrialMetricsBody(new JsonObject { ["loss"] = 1.0 }));
        return new PendingReport(PendingReportKind.Every, $"training {steps}", (a, ct) => a.ReportTrainingMetricsAsync(metrics, ct),
            Training: batchable ? metrics : null);
    }

    // Moves the manual clock from timer to timer (retry backoffs, the flush bound) until the condition holds.
    private void DriveUntil(Func<bool> done)
    {
        while (!done())
        {
            Assert.True(SpinWait.SpinUntil(() => done() || _time.PendingTimers > 0, Deadline), "the reporter neither finished nor waited on the clock");
            if (!done())
                _time.AdvanceToNextTimer();
        }
    }
}
