namespace Determinant.Master.Data.Entities;

/// <summary>An experiment's model definition, stored once as a gzip-compressed tar.</summary>
public sealed class ModelDefinitionEntity
{
    public int ExperimentId { get; set; }
    public required byte[] Archive { get; set; }
    public int FileCount { get; set; }

    /// <summary>Uncompressed bytes of all files.</summary>
    public long TotalSize { get; set; }
}
