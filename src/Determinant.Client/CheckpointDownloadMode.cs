namespace Determinant.Client;

/// <summary>How <see cref="Checkpoint.DownloadAsync(string, CheckpointDownloadMode, IProgress{long}?, CancellationToken)"/> gets the files.</summary>
public enum CheckpointDownloadMode
{
    /// <summary>Read the storage directly when this machine sees it, else stream through the master.</summary>
    Auto,

    /// <summary>Read the checkpoint's directory in its <c>shared_fs</c> or <c>directory</c> storage; fail when it is not visible here.</summary>
    Direct,

    /// <summary>Stream the files through the master as a tar.</summary>
    Master,
}
