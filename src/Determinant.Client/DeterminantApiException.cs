using System.Net;

namespace Determinant.Client;

/// <summary>The one exception the SDK throws for a failed request: an error answer from the master, or no answer at all.</summary>
/// <remarks>
/// <see cref="StatusCode"/> is null when the master could not be reached (after the retries of an idempotent request);
/// the cause is then the <see cref="Exception.InnerException"/>.
/// </remarks>
public sealed class DeterminantApiException : Exception
{
    /// <summary>Creates an exception for an error answer or a failed connection.</summary>
    /// <param name="message">What failed, for people.</param>
    /// <param name="statusCode">The HTTP status, or null when there was no answer.</param>
    /// <param name="problem">The problem document of the answer, if any.</param>
    /// <param name="innerException">The transport failure, if any.</param>
    public DeterminantApiException(string message, HttpStatusCode? statusCode = null, ApiProblem? problem = null, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        Problem = problem ?? new ApiProblem(null, null, []);
    }

    /// <summary>Creates an exception with only a message.</summary>
    public DeterminantApiException() : this("the request to the master failed")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public DeterminantApiException(string message) : this(message, null, null, null)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public DeterminantApiException(string message, Exception innerException) : this(message, null, null, innerException)
    {
    }

    /// <summary>The HTTP status of the answer; null when the master could not be reached.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The master's problem document (title, detail, errors); empty fields when there was none.</summary>
    public ApiProblem Problem { get; }
}
