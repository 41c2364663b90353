namespace Determinant.Harness;

/// <summary>
/// Thrown by trial code when its hyperparameters cannot be trained (too large a model, an impossible combination):
/// the harness reports the trial as <c>INVALID_HP</c> and exits cleanly, and the searcher moves on.
/// </summary>
public sealed class InvalidHyperparameterException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public InvalidHyperparameterException()
        : base("the hyperparameters are invalid")
    {
    }

    /// <summary>Creates the exception with a message saying which hyperparameters are invalid and why.</summary>
    public InvalidHyperparameterException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that revealed the problem.</summary>
    public InvalidHyperparameterException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
