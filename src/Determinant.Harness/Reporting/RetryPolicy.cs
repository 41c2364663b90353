using System.Globalization;
using Determinant.Harness.Hosting;

namespace Determinant.Harness.Reporting;

/// <summary>Retries transient Core API failures with exponential backoff, up to a total time; waits through the injected clock.</summary>
internal sealed class RetryPolicy(TimeProvider time, HarnessLog log)
{
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>How long a master outage is waited out before the call fails for good.</summary>
    public TimeSpan GiveUpAfter { get; init; } = TimeSpan.FromMinutes(10);

    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, string what, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var delay = InitialDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call(cancellationToken);
            }
            catch (Exception ex) when (IsTransient(ex, cancellationToken) && time.GetElapsedTime(started) + delay <= GiveUpAfter)
            {
                log.Warning(string.Create(CultureInfo.InvariantCulture,
                    $"{what} failed (attempt {attempt}): {ex.Message}; retrying in {delay.TotalSeconds:0.###} s"));
            }

            await Task.Delay(delay, time, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }

    public Task RunAsync(Func<CancellationToken, Task> call, string what, CancellationToken cancellationToken) =>
        RunAsync(async ct =>
        {
            await call(ct);
            return true;
        }, what, cancellationToken);

    /// <summary>Failures worth another try: the transport, timeouts, and 408/429/5xx answers.</summary>
    public static bool IsTransient(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        CoreApiException api => api.IsTransient,
        HttpRequestException or TimeoutException or IOException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };
}
