using System.Collections.Immutable;

namespace Determinant.Config;

/// <summary>The <c>resources</c> section: what each trial needs and how the experiment is scheduled (REFERENCE.md §2.6).</summary>
public sealed record ResourcesConfig
{
    /// <summary>Slots per trial; 0 is a CPU-only trial in the aux pool, more than 1 a distributed trial.</summary>
    public int SlotsPerTrial { get; init; } = 1;

    /// <summary>Cap on the slots the experiment holds at once; null for no cap.</summary>
    public int? MaxSlots { get; init; }

    /// <summary>1..99, lower is scheduled first; null takes the scheduler's default (42).</summary>
    public int? Priority { get; init; }

    /// <summary>Fair-share weight.</summary>
    public double Weight { get; init; } = 1;

    /// <summary>The pool to run in; empty for the default pool.</summary>
    public string ResourcePool { get; init; } = "";

    /// <summary>Shared-memory size as written: a byte count or text such as <c>1.5 gb</c>; null for the master default.</summary>
    public string? ShmSize { get; init; }

    /// <summary>Host devices passed into containers.</summary>
    public ImmutableArray<DeviceMapping> Devices { get; init; } = [];

    /// <summary>Whether a distributed trial must fit on one agent; null leaves it to the scheduler.</summary>
    public bool? IsSingleNode { get; init; }

    /// <summary>Accepted for compatibility.</summary>
    public bool NativeParallel { get; init; }

    /// <summary>
    /// Memory limit of each trial process's cgroup on the agent, in bytes (written as bytes or <c>4Gi</c>); a process
    /// over it is killed by the kernel and the trial fails naming it. Null: the agent's <c>task_memory_limit</c>.
    /// </summary>
    public long? MemoryLimit { get; init; }

    /// <summary>Most processes and threads each trial process's cgroup may hold; null: the agent's <c>task_pids_limit</c>.</summary>
    public int? PidsLimit { get; init; }

    /// <summary><see cref="ShmSize"/> in bytes (suffixes k, m, g, t, p count in powers of 1024); null when not set.</summary>
    public long? ShmSizeBytes => ShmSize is null ? null : ShmSizeParser.ToBytes(ShmSize);

    /// <summary>Compares by content.</summary>
    public bool Equals(ResourcesConfig? other) =>
        other is not null && SlotsPerTrial == other.SlotsPerTrial && MaxSlots == other.MaxSlots && Priority == other.Priority
        && Weight.Equals(other.Weight) && ResourcePool == other.ResourcePool && ShmSize == other.ShmSize
        && ValueEquality.Sequence(Devices, other.Devices) && IsSingleNode == other.IsSingleNode && NativeParallel == other.NativeParallel
        && MemoryLimit == other.MemoryLimit && PidsLimit == other.PidsLimit;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(SlotsPerTrial, MaxSlots, Priority, Weight, ResourcePool, ShmSize);
}
