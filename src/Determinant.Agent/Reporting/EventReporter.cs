using System.Net;
using System.Threading.Channels;
using Determinant.Agent.Hosting;
using Determinant.Agent.Master;
using Determinant.Protocol.Agent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Determinant.Agent.Reporting;

/// <summary>
/// Posts allocation events in the order they happened, retrying through master outages. Reporting never blocks a
/// launch; whoever needs to know that an event landed (the EXITED report) awaits the returned task.
/// </summary>
internal sealed partial class EventReporter : BackgroundService
{
    private readonly Channel<PendingEvent> _queue = Channel.CreateUnbounded<PendingEvent>();
    private readonly MasterClient _master;
    private readonly AgentOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<EventReporter> _logger;

    public EventReporter(MasterClient master, IOptions<AgentOptions> options, TimeProvider time, ILogger<EventReporter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _master = master;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>Queues the event; the task completes when the master has it (or refused it for good).</summary>
    public Task ReportAsync(string allocationId, AllocationEvent allocationEvent, CancellationToken cancellationToken)
    {
        var pending = new PendingEvent(allocationId, allocationEvent, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
            throw new InvalidOperationException("the event reporter has stopped");
        return pending.Delivered.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = new Backoff(
            TimeSpan.FromMilliseconds(_options.RetryMinMilliseconds), TimeSpan.FromMilliseconds(_options.RetryMaxMilliseconds), _time);
        try
        {
            await foreach (var pending in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                await PostAsync(pending, backoff, stoppingToken).ConfigureAwait(false);
                pending.Delivered.TrySetResult();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            if (_queue.Reader.Count > 0)
                LogStoppedWithEvents(_logger, _queue.Reader.Count);
        }
    }

    private async Task PostAsync(PendingEvent pending, Backoff backoff, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await _master.PostEventAsync(_options.ResolvedAgentId, pending.AllocationId, pending.Event, cancellationToken).ConfigureAwait(false);
                backoff.Reset();
                return;
            }
            catch (Exception e) when (MasterClient.IsTransient(e, cancellationToken))
            {
                LogRetrying(_logger, pending.Event.State, pending.AllocationId, e.Message);
                await backoff.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                // 404: the master has no such allocation (any more); nobody is left to tell.
                LogRefused(_logger, pending.Event.State, pending.AllocationId, e.StatusCode ?? HttpStatusCode.BadRequest, e.Message);
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reporting {State} of allocation {AllocationId} failed, retrying: {Reason}")]
    private static partial void LogRetrying(ILogger logger, string state, string allocationId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The master refused {State} of allocation {AllocationId} ({Status}): {Reason}")]
    private static partial void LogRefused(ILogger logger, string state, string allocationId, HttpStatusCode status, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopped with {Count} allocation events not reported")]
    private static partial void LogStoppedWithEvents(ILogger logger, int count);
}
