namespace Determinant.Config;

/// <summary>Checkpoints in an Azure blob container (<c>type: azure</c>); accepted and validated, stored by a later release.</summary>
/// <param name="Container">The blob container name.</param>
public sealed record AzureStorageConfig(string Container) : CheckpointStorageConfig
{
    /// <inheritdoc/>
    public override string Type => "azure";

    /// <summary>A connection string; exactly one of this and <see cref="AccountUrl"/> is set.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>The storage account URL; exactly one of this and <see cref="ConnectionString"/> is set.</summary>
    public string? AccountUrl { get; init; }

    /// <summary>A credential to use with <see cref="AccountUrl"/>.</summary>
    public string? Credential { get; init; }
}
