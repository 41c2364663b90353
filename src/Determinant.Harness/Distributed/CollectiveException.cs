namespace Determinant.Harness.Distributed;

/// <summary>A collective operation failed on this worker: a peer exited, sent something unexpected, or timed out.</summary>
/// <remarks>The message names this worker's rank, the operation and the peer it waited for.</remarks>
public sealed class CollectiveException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CollectiveException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public CollectiveException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public CollectiveException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
