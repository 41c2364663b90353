namespace Determinant.Protocol.CoreApi;

/// <summary>Checkpoint states as they appear on the wire (REFERENCE.md §4.1).</summary>
public static class CheckpointStates
{
    /// <summary>Being written.</summary>
    public const string Active = "ACTIVE";

    /// <summary>Written and reported; the only state training code reports.</summary>
    public const string Completed = "COMPLETED";

    /// <summary>Writing failed.</summary>
    public const string Error = "ERROR";

    /// <summary>Every file was removed.</summary>
    public const string Deleted = "DELETED";

    /// <summary>Some files were removed.</summary>
    public const string PartiallyDeleted = "PARTIALLY_DELETED";
}
