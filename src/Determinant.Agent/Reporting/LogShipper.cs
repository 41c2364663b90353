using System.Threading.Channels;
using Determinant.Agent.Hosting;
using Determinant.Agent.Master;
using Determinant.Protocol.CoreApi;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Determinant.Agent.Reporting;

/// <summary>
/// Ships the tasks' log lines to the master in order, in batches of whatever queued up while the previous batch was in
/// flight (no timer: a lone line leaves at once). A failed batch is retried with backoff until it lands, so a master
/// outage loses nothing; while the bounded buffer is full, writers wait, which in turn pauses the tasks' output pipes.
/// </summary>
internal sealed partial class LogShipper : BackgroundService
{
    private readonly Channel<LogQueueItem> _queue;
    private readonly MasterClient _master;
    private readonly AgentOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<LogShipper> _logger;

    public LogShipper(MasterClient master, IOptions<AgentOptions> options, TimeProvider time, ILogger<LogShipper> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _master = master;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<LogQueueItem>(new BoundedChannelOptions(_options.LogBufferLines)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public ValueTask WriteAsync(TaskLog log, CancellationToken cancellationToken) =>
        _queue.Writer.WriteAsync(new LogQueueItem(log, null), cancellationToken);

    /// <summary>Completes once every line written before this call has reached the master.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _queue.Writer.WriteAsync(new LogQueueItem(null, flushed), cancellationToken).ConfigureAwait(false);
        await flushed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<TaskLog>(_options.LogBatchLines);
        var backoff = new Backoff(
            TimeSpan.FromMilliseconds(_options.RetryMinMilliseconds), TimeSpan.FromMilliseconds(_options.RetryMaxMilliseconds), _time);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                TaskCompletionSource? marker = null;
                while (batch.Count < _options.LogBatchLines && marker is null && _queue.Reader.TryRead(out var item))
                {
                    if (item.Log is { } log)
                        batch.Add(log);
                    else
                        marker = item.Flushed;
                }
                if (batch.Count > 0)
                    await SendAsync([.. batch], backoff, stoppingToken).ConfigureAwait(false);
                batch.Clear();
                marker?.TrySetResult();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            if (batch.Count + _queue.Reader.Count > 0)
                LogStoppedWithLines(_logger, batch.Count + _queue.Reader.Count);
        }
    }

    private async Task SendAsync(TaskLog[] logs, Backoff backoff, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await _master.PostLogsAsync(logs, cancellationToken).ConfigureAwait(false);
                backoff.Reset();
                return;
            }
            catch (Exception e) when (MasterClient.IsTransient(e, cancellationToken))
            {
                LogRetrying(_logger, logs.Length, e.Message);
                await backoff.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                // A refusal that retrying cannot fix (400: a malformed batch); holding it would stall every task's logs.
                LogDropped(_logger, logs.Length, e.Message);
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shipping {Count} log lines failed, retrying: {Reason}")]
    private static partial void LogRetrying(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The master refused {Count} log lines; they are dropped: {Reason}")]
    private static partial void LogDropped(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopped with about {Count} log lines not shipped")]
    private static partial void LogStoppedWithLines(ILogger logger, int count);
}
