namespace Determinant.Config;

/// <summary>The <c>profiling</c> section; accepted, with <see cref="BeginOnBatch"/> not after <see cref="EndAfterBatch"/>.</summary>
public sealed record ProfilingConfig
{
    /// <summary>Whether profiling is on.</summary>
    public bool Enabled { get; init; }

    /// <summary>First batch profiled.</summary>
    public long BeginOnBatch { get; init; }

    /// <summary>Last batch profiled; null for no end.</summary>
    public long? EndAfterBatch { get; init; }

    /// <summary>Synchronise devices for accurate timings.</summary>
    public bool SyncTimings { get; init; } = true;
}
