using System.Globalization;
using System.Threading.Channels;
using Determinant.Harness.Hosting;
using Determinant.Protocol.CoreApi;

namespace Determinant.Harness.Reporting;

/// <summary>
/// Sends metrics, progress, runner state and logs from a background task so that training never waits on the network.
/// Everything queued when it wakes is one batch: metrics and runner states go out in order, only the newest progress is
/// sent, log lines share one call, and consecutive training reports share one batch call. Transient failures are retried through <see cref="RetryPolicy"/>; a report
/// that still fails is dropped with a warning. Disposal flushes what is queued, waiting at most a bounded time.
/// </summary>
internal sealed class BackgroundReporter : IAsyncDisposable
{
    private readonly Channel<PendingReport> _queue = Channel.CreateUnbounded<PendingReport>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ICoreApi _api;
    private readonly RetryPolicy _retry;
    private readonly HarnessLog _log;
    private readonly TimeProvider _time;
    private readonly TimeSpan _flushTimeout;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _worker;
    private int _sent;
    private int _dropped;

    public BackgroundReporter(ICoreApi api, RetryPolicy retry, HarnessLog log, TimeProvider time, TimeSpan flushTimeout)
    {
        _api = api;
        _retry = retry;
        _log = log;
        _time = time;
        _flushTimeout = flushTimeout;
        _worker = Task.Run(RunAsync);
    }

    /// <summary>Calls that reached the master.</summary>
    public int Sent => Volatile.Read(ref _sent);

    /// <summary>Reports given up on (failed for good, or still queued when the flush time ran out).</summary>
    public int Dropped => Volatile.Read(ref _dropped);

    public void Enqueue(PendingReport report)
    {
        if (!_queue.Writer.TryWrite(report))
            throw new InvalidOperationException("the reporter is closed");
    }

    /// <summary>Waits until everything queued before this call has been sent or dropped.</summary>
    public Task FlushAsync(CancellationToken cancellationToken)
    {
        var barrier = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(new PendingReport(PendingReportKind.Barrier, "flush", Barrier: barrier));
        return barrier.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        try
        {
            await _worker.WaitAsync(_flushTimeout, _time);
        }
        catch (TimeoutException)
        {
            await _stop.CancelAsync();
            await _worker.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            var left = 0;
            while (_queue.Reader.TryRead(out var report))
                left += report.Kind == PendingReportKind.Barrier ? 0 : 1;
            Interlocked.Add(ref _dropped, left);
            _log.Error(string.Create(CultureInfo.InvariantCulture,
                $"could not deliver every report within {_flushTimeout.TotalSeconds:0} s at exit; {Dropped} report(s) lost"));
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var batch = new List<PendingReport>();
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (_queue.Reader.TryRead(out var report))
                batch.Add(report);
            await SendBatchAsync(batch);
            batch.Clear();
        }
    }

    private async Task SendBatchAsync(List<PendingReport> batch)
    {
        var logs = batch.Where(r => r.Kind == PendingReportKind.Log).Select(r => r.Log!).ToList();
        var sentWithEarlier = new bool[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var report = batch[i];
            var newerSameKind = report.Kind == PendingReportKind.Latest
                && batch.Skip(i + 1).Any(r => r.Kind == PendingReportKind.Latest && r.Description == report.Description);
            if (report.Kind == PendingReportKind.Barrier)
            {
                if (logs.Count > 0)
                    await SendAsync((api, ct) => api.PostTaskLogsAsync(new PostTaskLogsRequest([.. logs]), ct), $"{logs.Count} log line(s)");
                logs.Clear();
                report.Barrier!.TrySetResult();
            }
            else if (report.Training is { } first)
            {
                if (sentWithEarlier[i])
                    continue;
                // Training reports that piled up during the previous call go out together (the master keys each one);
                // progress and log lines between them do not split the run, other calls and barriers do.
                var run = new List<TrialMetrics> { first };
                for (var j = i + 1; j < batch.Count && run.Count < ReportTrialMetricsBatchRequest.MaxReports; j++)
                {
                    if (batch[j].Training is { } next)
                    {
                        run.Add(next);
                        sentWithEarlier[j] = true;
                    }
                    else if (batch[j].Kind is not (PendingReportKind.Latest or PendingReportKind.Log))
                    {
                        break;
                    }
                }
                if (run.Count == 1)
                    await SendAsync(report.Send!, report.Description);
                else
                    await SendAsync((api, ct) => api.ReportTrainingMetricsBatchAsync(first.TrialId, run, ct),
                        $"{run.Count} training reports ({first.StepsCompleted}..{run[^1].StepsCompleted} steps)", run.Count);
            }
            else if (report.Kind is PendingReportKind.Every || (report.Kind is PendingReportKind.Latest && !newerSameKind))
            {
                await SendAsync(report.Send!, report.Description);
            }
        }

        if (logs.Count > 0)
            await SendAsync((api, ct) => api.PostTaskLogsAsync(new PostTaskLogsRequest(logs), ct), $"{logs.Count} log line(s)");
    }

    private async Task SendAsync(Func<ICoreApi, CancellationToken, Task> send, string description, int reports = 1)
    {
        try
        {
            await _retry.RunAsync(ct => send(_api, ct), description, _stop.Token);
            Interlocked.Increment(ref _sent);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            Interlocked.Add(ref _dropped, reports);
        }
        catch (Exception ex)
        {
            Interlocked.Add(ref _dropped, reports);
            _log.Warning($"dropped {description}: {ex.Message}");
        }
    }
}
