using System.Collections.Concurrent;
using System.Threading.Channels;
using Determinant.Master.CoreApi;
using Determinant.Master.Data;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Live;

/// <summary>
/// Hands each committed metric report to the curves held in memory and to the live streams watching its experiment. The
/// signal's thread only queues the report; this loop looks up the trial's experiment (once per trial) and fans out.
/// </summary>
internal sealed partial class LiveUpdates : BackgroundService
{
    /// <summary>A stream that falls this far behind loses reports (and is told to reload) rather than holding memory.</summary>
    public const int SubscriberCapacity = 10_000;

    private readonly Channel<StoredMetricReport> _reports = Channel.CreateUnbounded<StoredMetricReport>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<int, int> _experimentOfTrial = new();
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<LiveSubscription, byte>> _subscribers = new();
    private readonly MetricColumnCache _cache;
    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger<LiveUpdates> _logger;

    public LiveUpdates(MetricReportSignal signal, MetricColumnCache cache, IServiceScopeFactory scopes, ILogger<LiveUpdates> logger)
    {
        ArgumentNullException.ThrowIfNull(signal);
        _cache = cache;
        _scopes = scopes;
        _logger = logger;
        signal.Stored += report =>
        {
            // In the committing thread, so a curve read after a report was answered has it (the streams may lag).
            try
            {
                _cache.Apply(report);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogFanOutFailed(_logger, report.TrialId, e);
            }
            _reports.Writer.TryWrite(report);
        };
    }

    /// <summary>Reports of this experiment's trials from now on, until the subscription is disposed.</summary>
    public LiveSubscription Subscribe(int experimentId)
    {
        var subscription = new LiveSubscription(experimentId, this);
        _subscribers.GetOrAdd(experimentId, _ => new()).TryAdd(subscription, 0);
        return subscription;
    }

    internal void Unsubscribe(LiveSubscription subscription)
    {
        if (_subscribers.TryGetValue(subscription.ExperimentId, out var set))
            set.TryRemove(subscription, out _);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var report in _reports.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    var experimentId = await ExperimentOfAsync(report.TrialId, stoppingToken).ConfigureAwait(false);
                    if (experimentId is { } id && _subscribers.TryGetValue(id, out var set))
                    {
                        foreach (var subscription in set.Keys)
                            subscription.Offer(report);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogFanOutFailed(_logger, report.TrialId, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task<int?> ExperimentOfAsync(int trialId, CancellationToken cancellationToken)
    {
        if (_experimentOfTrial.TryGetValue(trialId, out var known))
            return known;
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
        var found = await db.Trials.AsNoTracking().Where(t => t.Id == trialId).Select(t => (int?)t.ExperimentId)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (found is { } experimentId)
            _experimentOfTrial[trialId] = experimentId;
        return found;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live update of a metric report of trial {TrialId} failed")]
    private static partial void LogFanOutFailed(ILogger logger, int trialId, Exception exception);
}

/// <summary>One live stream's queue of its experiment's reports.</summary>
internal sealed class LiveSubscription(int experimentId, LiveUpdates owner) : IDisposable
{
    private readonly Channel<StoredMetricReport> _queue = Channel.CreateBounded<StoredMetricReport>(
        new BoundedChannelOptions(LiveUpdates.SubscriberCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private int _dropped;

    public int ExperimentId { get; } = experimentId;

    public ChannelReader<StoredMetricReport> Reader => _queue.Reader;

    /// <summary>Whether reports were dropped since the last call (the stream then tells the page to reload its series).</summary>
    public bool TakeDropped() => Interlocked.Exchange(ref _dropped, 0) != 0;

    internal void Offer(StoredMetricReport report)
    {
        if (!_queue.Writer.TryWrite(report))
            Interlocked.Exchange(ref _dropped, 1);
    }

    public void Dispose() => owner.Unsubscribe(this);
}
