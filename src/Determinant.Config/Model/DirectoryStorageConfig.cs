namespace Determinant.Config;

/// <summary>Checkpoints in a directory the task can already see, e.g. through a bind mount (<c>type: directory</c>).</summary>
/// <param name="ContainerPath">The directory as the task sees it.</param>
public sealed record DirectoryStorageConfig(string ContainerPath) : CheckpointStorageConfig
{
    /// <inheritdoc/>
    public override string Type => "directory";
}
