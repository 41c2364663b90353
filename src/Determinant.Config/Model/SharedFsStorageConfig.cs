namespace Determinant.Config;

/// <summary>Checkpoints on a directory of the agents, mounted into tasks (<c>type: shared_fs</c>).</summary>
/// <param name="HostPath">Absolute directory on the agents.</param>
public sealed record SharedFsStorageConfig(string HostPath) : CheckpointStorageConfig
{
    /// <inheritdoc/>
    public override string Type => "shared_fs";

    /// <summary>A subdirectory of <see cref="HostPath"/> (relative, or absolute inside it); null for <see cref="HostPath"/> itself.</summary>
    public string? StoragePath { get; init; }

    /// <summary>Mount propagation.</summary>
    public string Propagation { get; init; } = "rprivate";

    /// <summary>Accepted for compatibility.</summary>
    public string? ContainerPath { get; init; }

    /// <summary>Accepted for compatibility.</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>Accepted for compatibility.</summary>
    public string? TensorboardPath { get; init; }

    /// <summary>The directory checkpoints are written under: <c>normalise(host_path/storage_path)</c>, or <see cref="HostPath"/>.</summary>
    public string BaseDirectory => StoragePath is null ? PosixPath.Normalize(HostPath) : PosixPath.Normalize(PosixPath.Join(HostPath, StoragePath));
}
