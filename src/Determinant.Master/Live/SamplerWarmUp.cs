using Determinant.Master.Data;

namespace Determinant.Master.Live;

/// <summary>
/// Runs the learning-curve cut on a small database in memory at start (<see cref="MetricSampler.WarmUpAsync"/>), and the
/// endpoint's queries and the column cache's bookkeeping once (<see cref="MetricColumnCache.WarmUpAsync"/>), so that the first experiment page opened after a start is answered by compiled code.
/// </summary>
internal sealed partial class SamplerWarmUp(IServiceScopeFactory scopes, ILogger<SamplerWarmUp> logger) : BackgroundService
{
    private static readonly TimeSpan StartDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(20);
    private const int Rounds = 60;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(async () =>
    {
        try
        {
            // After the start's own burst of compiling (the model compiler warms up too), then long enough for the runtime's
            // call counting to see each method called often (30 calls make a method hot).
            await Task.Delay(StartDelay, stoppingToken).ConfigureAwait(false);
            await MetricSampler.WarmUpAsync(Rounds, Pause, stoppingToken).ConfigureAwait(false);
            await MetricColumnCache.WarmUpAsync(scopes, stoppingToken).ConfigureAwait(false);
            await using (var scope = scopes.CreateAsyncScope())
                await LiveEndpoints.WarmUpQueriesAsync(scope.ServiceProvider.GetRequiredService<MasterDbContext>(), stoppingToken).ConfigureAwait(false);
            // As after the compiler's warm-up: give the garbage of the rounds back to the system rather than keep it committed.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
        catch (OperationCanceledException)
        {
            // Stopped before it finished.
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            // Nothing is lost: the first cut then runs on code that is not optimised yet.
            LogFailed(logger, e.Message);
        }
    }, stoppingToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The learning-curve warm-up failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
