namespace Determinant.Master.Errors;

/// <summary>A failure the API answers with a problem document; the subclass decides the status.</summary>
internal abstract class MasterException(string message) : Exception(message)
{
    public abstract int StatusCode { get; }

    public abstract string Title { get; }
}
