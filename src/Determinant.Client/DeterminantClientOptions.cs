namespace Determinant.Client;

/// <summary>How a <see cref="DeterminantClient"/> talks to the master: timeouts and retries.</summary>
public sealed class DeterminantClientOptions
{
    /// <summary>Retries of an idempotent request (GET, DELETE) after a connection failure or a 502/503/504; 0 disables them.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>The wait before the first retry; it doubles on each further retry up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest wait between two retries.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>How long one request may take; streams (followed logs) are not limited by it.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>The clock the retry waits and <see cref="Experiment.WaitAsync(TimeSpan, TimeSpan?, CancellationToken)"/> use (tests pass a fake one).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The innermost HTTP handler; null for a default <see cref="SocketsHttpHandler"/>.</summary>
    public HttpMessageHandler? Handler { get; set; }
}
