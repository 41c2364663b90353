namespace Determinant.Config;

/// <summary>Checkpoints in a Google Cloud Storage bucket (<c>type: gcs</c>); accepted and validated, stored by a later release.</summary>
/// <param name="Bucket">The bucket name.</param>
public sealed record GcsStorageConfig(string Bucket) : CheckpointStorageConfig
{
    /// <inheritdoc/>
    public override string Type => "gcs";

    /// <summary>Object-name prefix; it may not climb out of the bucket with <c>..</c>.</summary>
    public string? Prefix { get; init; }
}
