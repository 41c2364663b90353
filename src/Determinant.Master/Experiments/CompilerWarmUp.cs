namespace Determinant.Master.Experiments;

/// <summary>Warms the model-definition compiler in the background at start, so the first submit compiles fast.</summary>
internal sealed partial class CompilerWarmUp(TrialClassCompiler compiler, ILogger<CompilerWarmUp> logger) : BackgroundService
{
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the warm-up has ended, however it ended (the other warm-ups start after it: <see cref="Live.SamplerWarmUp"/>).</summary>
    public Task Finished => _finished.Task;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() =>
    {
        try
        {
            compiler.WarmUp(stoppingToken);
            // The warm-up leaves tens of megabytes of compiler garbage behind in an otherwise idle process; an aggressive
            // collection returns that memory to the system instead of keeping it committed for allocations to come.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            LogNoHarness(logger, e.Message);
        }
        catch (OperationCanceledException)
        {
            // Stopped before it finished.
        }
        finally
        {
            _finished.TrySetResult();
        }
    }, stoppingToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trial classes cannot be compiled until the harness is built: {Reason}")]
    private static partial void LogNoHarness(ILogger logger, string reason);
}
