using Determinant.Master.Data;
using Determinant.Master.Experiments;

namespace Determinant.Master.Live;

/// <summary>
/// Runs the learning-curve endpoint's code at start, so that the first experiment page opened after a start is answered
/// by compiled code: once what a request runs once (its queries and answer formatting, <see cref="LiveEndpoints.WarmUpAsync"/>;
/// the column cache's bookkeeping, <see cref="MetricColumnCache.WarmUpAsync"/>), then the cut on a small database in
/// memory, in rounds (<see cref="MetricSampler.WarmUpAsync"/>).
/// </summary>
internal sealed partial class SamplerWarmUp(IServiceScopeFactory scopes, CompilerWarmUp compilerWarmUp, ILogger<SamplerWarmUp> logger) : BackgroundService
{
    /// <summary>The longest wait for the compile worker's start (about 5 s on two loaded cores).</summary>
    private static readonly TimeSpan CompilerWait = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The runtime starts counting calls only once no new method has been compiled for 100 ms, and recompiles a method
    /// optimised after 30 calls: a quiet spell first, then rounds spread out enough to be counted.
    /// </summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(150);
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(10);
    private const int Rounds = 40;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(async () =>
    {
        try
        {
            // After the start's other burst of compiling, the compile worker's warm-up: in its own process it no longer keeps
            // this process's call counting from starting, but it takes the cores for a few seconds.
            await compilerWarmUp.Finished.WaitAsync(CompilerWait, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            stoppingToken.ThrowIfCancellationRequested();
            // What runs once per request (compiled at their first call, not hot enough to be recompiled), then the cut's
            // rounds.
            await MetricColumnCache.WarmUpAsync(scopes, stoppingToken).ConfigureAwait(false);
            await using (var scope = scopes.CreateAsyncScope())
                await LiveEndpoints.WarmUpAsync(scope.ServiceProvider.GetRequiredService<MasterDbContext>(), stoppingToken).ConfigureAwait(false);
            await Task.Delay(Quiet, stoppingToken).ConfigureAwait(false);
            await MetricSampler.WarmUpAsync(Rounds, Pause, stoppingToken).ConfigureAwait(false);
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
