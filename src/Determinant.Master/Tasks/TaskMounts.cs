using Determinant.Config;
using Determinant.Protocol.Agent;

namespace Determinant.Master.Tasks;

/// <summary>What of the host a task sees besides its working directory: its <c>bind_mounts</c> and its checkpoint storage.</summary>
internal static class TaskMounts
{
    /// <summary>
    /// The config's <c>bind_mounts</c> as given, then a <c>shared_fs</c> checkpoint storage's base directory at its own
    /// path (tasks on agents write checkpoints where the master reads them), read-write unless the task only reads
    /// checkpoints — unless a bind mount already uses that path.
    /// </summary>
    public static IReadOnlyList<TaskMount> Of(IEnumerable<BindMount> bindMounts, CheckpointStorageConfig? storage, bool storageReadOnly = false)
    {
        ArgumentNullException.ThrowIfNull(bindMounts);
        var mounts = bindMounts.Select(m => new TaskMount(m.HostPath, m.ContainerPath, m.ReadOnly, m.Propagation)).ToList();
        if (storage is SharedFsStorageConfig shared && mounts.All(m => m.ContainerPath != shared.BaseDirectory))
            mounts.Add(new TaskMount(shared.BaseDirectory, shared.BaseDirectory, storageReadOnly, shared.Propagation, CheckpointStorage: true));
        return mounts;
    }
}
