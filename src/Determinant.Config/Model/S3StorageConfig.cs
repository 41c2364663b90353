namespace Determinant.Config;

/// <summary>Checkpoints in an S3 bucket (<c>type: s3</c>); accepted and validated, stored by a later release.</summary>
/// <param name="Bucket">The bucket name.</param>
public sealed record S3StorageConfig(string Bucket) : CheckpointStorageConfig
{
    /// <inheritdoc/>
    public override string Type => "s3";

    /// <summary>Access key; null for the ambient credentials.</summary>
    public string? AccessKey { get; init; }

    /// <summary>Secret key; null for the ambient credentials.</summary>
    public string? SecretKey { get; init; }

    /// <summary>A non-AWS endpoint.</summary>
    public string? EndpointUrl { get; init; }

    /// <summary>Key prefix; it may not climb out of the bucket with <c>..</c>.</summary>
    public string? Prefix { get; init; }
}
