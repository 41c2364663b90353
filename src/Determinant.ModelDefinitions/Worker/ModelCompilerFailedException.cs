namespace Determinant.ModelDefinitions;

/// <summary>
/// The compile worker could not compile a model definition: it ran past one of its limits, or it ended or failed for
/// another reason. The model definition may be fine or not; the compiler gave no verdict on it.
/// </summary>
public sealed class ModelCompilerFailedException : Exception
{
    /// <summary>Creates one for a limit, or for another failure when <paramref name="limit"/> is null.</summary>
    public ModelCompilerFailedException(CompilerLimit? limit, string message)
        : base(message) => Limit = limit;

    /// <summary>Creates one for a failure that is no limit.</summary>
    public ModelCompilerFailedException()
        : this(null, "the compiler failed")
    {
    }

    /// <summary>Creates one for a failure that is no limit.</summary>
    public ModelCompilerFailedException(string message)
        : this(null, message)
    {
    }

    /// <summary>Creates one for a failure that is no limit, caused by <paramref name="innerException"/>.</summary>
    public ModelCompilerFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The limit the compiler ran past; null when it ended or failed for another reason (the message says which).</summary>
    public CompilerLimit? Limit { get; }
}
