using Determinant.Config;

namespace Determinant.Harness.Checkpoints;

/// <summary>Where checkpoints live on this machine, from <c>checkpoint_storage</c>.</summary>
internal static class CheckpointStorage
{
    /// <exception cref="NotSupportedException">The storage is a cloud store, which the harness cannot write yet.</exception>
    public static string BaseDirectory(CheckpointStorageConfig? storage) => storage switch
    {
        SharedFsStorageConfig shared => shared.BaseDirectory,
        DirectoryStorageConfig directory => directory.ContainerPath,
        null => throw new InvalidOperationException("the experiment config has no checkpoint_storage"),
        _ => throw new NotSupportedException($"checkpoint_storage type '{storage.Type}' is not supported by the harness yet; use shared_fs or directory"),
    };
}
