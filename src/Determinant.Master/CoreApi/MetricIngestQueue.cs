using System.Threading.Channels;
using Determinant.Master.Errors;

namespace Determinant.Master.CoreApi;

/// <summary>
/// Training reports from all requests, written by one loop: whatever arrived while the previous batch was being
/// committed goes into the next transaction (group commit). A request answers once its own batch has committed, so
/// an acknowledged report is stored; a caller that gives up before its batch is written leaves nothing behind.
/// </summary>
internal sealed partial class MetricIngestQueue(MetricBatchWriter writer, ILogger<MetricIngestQueue> logger, MetricReportSignal? signal = null)
    : BackgroundService
{
    /// <summary>Bounds one transaction (and so the wait of the reports queued behind it).</summary>
    public const int MaxBatch = 1024;

    private readonly Channel<PendingMetricReport> _channel =
        Channel.CreateUnbounded<PendingMetricReport>(new UnboundedChannelOptions { SingleReader = true });

    private long _batches;
    private long _reports;

    /// <summary>Batches and reports written so far (for the metric-ingest benchmark's mean batch size).</summary>
    public (long Batches, long Reports) Written => (Interlocked.Read(ref _batches), Interlocked.Read(ref _reports));

    /// <summary>Queues the report and waits for its batch's commit; true when it was stored, false for a retry of stored steps.</summary>
    public async Task<bool> ReportAsync(PendingMetricReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        cancellationToken.ThrowIfCancellationRequested();
        if (!_channel.Writer.TryWrite(report))
            throw new UnavailableException("the master is shutting down and takes no more metric reports");
        using var registration = cancellationToken.Register(static (state, token) => ((PendingMetricReport)state!).Canceled(token), report);
        return await report.Completion.ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _channel.Reader;
        var batch = new List<PendingMetricReport>(MaxBatch);
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                while (batch.Count < MaxBatch && reader.TryRead(out var report))
                {
                    if (!report.IsDone)
                        batch.Add(report);
                }
                if (batch.Count > 0)
                {
                    await WriteAsync(batch, stoppingToken).ConfigureAwait(false);
                    Interlocked.Increment(ref _batches);
                    Interlocked.Add(ref _reports, batch.Count);
                }
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is still queued is refused below.
        }
        var refused = new UnavailableException("the master stopped before this metric report was written");
        foreach (var report in batch)
            report.Failed(refused);
        _channel.Writer.TryComplete();
        while (reader.TryRead(out var report))
            report.Failed(refused);
    }

    private async Task WriteAsync(List<PendingMetricReport> batch, CancellationToken stoppingToken)
    {
        try
        {
            await writer.WriteAsync(batch, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not one report's fault (the database is unreachable, say): every caller in the batch hears it; the loop goes on.
            LogWriteFailed(logger, batch.Count, e);
            foreach (var report in batch)
                report.Failed(e);
        }
        if (signal is null)
            return;
        foreach (var report in batch)
        {
            if (report.Completion.IsCompletedSuccessfully && report.Completion.Result)
                signal.Raise(new StoredMetricReport(report.TrialId, report.Group, report.StepsCompleted, report.MetricsJson));
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing a batch of {Count} metric reports failed")]
    private static partial void LogWriteFailed(ILogger logger, int count, Exception exception);
}
