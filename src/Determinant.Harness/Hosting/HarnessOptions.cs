namespace Determinant.Harness;

/// <summary>How <see cref="HarnessMain"/> runs a trial, or a <see cref="CoreContext"/> serves a script, besides the environment: clock, output and limits.</summary>
public sealed record HarnessOptions
{
    /// <summary>The clock for report times, retry backoff and the exit flush.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where the harness writes its log lines.</summary>
    public TextWriter Output { get; init; } = Console.Out;

    /// <summary>Where a failure and its stack trace are written.</summary>
    public TextWriter Error { get; init; } = Console.Error;

    /// <summary>How long the exit waits for queued reports to reach the master.</summary>
    public TimeSpan FlushTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a call to the master is retried through an outage before the trial gives up on it.</summary>
    public TimeSpan RetryFor { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Connects this worker to the others of a distributed trial (<c>WORLD_SIZE</c> &gt; 1); null (the default) makes a
    /// <see cref="Distributed.TcpRingCollectives"/> after a rendezvous through the master. Arguments: this worker's place,
    /// the collective timeout, and the cancellation token.
    /// </summary>
    public Func<DistributedContext, TimeSpan, CancellationToken, Task<Distributed.ICollectives>>? ConnectWorkers { get; init; }

    /// <summary>Makes each new checkpoint's uuid; random by default.</summary>
    public Func<Guid> NewCheckpointUuid { get; init; } = Guid.NewGuid;
}
