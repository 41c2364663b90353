using System.Net;

namespace Determinant.Harness;

/// <summary>The master answered a Core API call with a status that is not a success.</summary>
public sealed class CoreApiException : Exception
{
    /// <summary>Creates the exception for an answer with <paramref name="statusCode"/>.</summary>
    public CoreApiException(HttpStatusCode statusCode, string message)
        : base(message) => StatusCode = statusCode;

    /// <summary>Creates the exception with no status (for tests and fakes: a 500).</summary>
    public CoreApiException()
        : this(HttpStatusCode.InternalServerError, "the master failed")
    {
    }

    /// <summary>Creates the exception with a message (a 500).</summary>
    public CoreApiException(string message)
        : this(HttpStatusCode.InternalServerError, message)
    {
    }

    /// <summary>Creates the exception with a message and a cause (a 500).</summary>
    public CoreApiException(string message, Exception innerException)
        : base(message, innerException) => StatusCode = HttpStatusCode.InternalServerError;

    /// <summary>The HTTP status of the answer.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>True when trying again later may succeed: 408, 429 and every 5xx.</summary>
    public bool IsTransient => StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)StatusCode >= 500;
}
