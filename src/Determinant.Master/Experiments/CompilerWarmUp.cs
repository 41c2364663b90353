using Determinant.ModelDefinitions;

namespace Determinant.Master.Experiments;

/// <summary>Starts the compile worker in the background at start, so the first submit compiles fast.</summary>
internal sealed partial class CompilerWarmUp(TrialClassCompiler compiler, ILogger<CompilerWarmUp> logger) : BackgroundService
{
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the warm-up has ended, however it ended (the other warm-ups start after it: <see cref="Live.SamplerWarmUp"/>).</summary>
    public Task Finished => _finished.Task;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(async () =>
    {
        try
        {
            await compiler.WarmUpAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            LogNoHarness(logger, e.Message);
        }
        catch (ModelCompilerFailedException e)
        {
            LogWarmUpFailed(logger, e.Message);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "The compile worker failed to start; the next submit starts another: {Reason}")]
    private static partial void LogWarmUpFailed(ILogger logger, string reason);
}
