using System.Data.Common;

namespace Determinant.Master.Agents;

/// <summary>Runs a scheduling pass as soon as something changed (coalesced) and at least every 500 ms.</summary>
internal sealed partial class SchedulingLoop(
    AgentResourceManager scheduler, SchedulingPass pass, TimeProvider time, ILogger<SchedulingLoop> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var signal = scheduler.WakeSignal;
        while (!stoppingToken.IsCancellationRequested)
        {
            using (var interval = new CancellationTokenSource(Interval, time))
            using (var tick = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, interval.Token))
            {
                try
                {
                    await signal.WaitToReadAsync(tick.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // The interval passed with no event: a pass anyway.
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            signal.TryRead(out _);
            try
            {
                await pass.RunAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is DbException or InvalidOperationException or IOException or TimeoutException)
            {
                LogPassFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A scheduling pass failed; the next one retries")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
