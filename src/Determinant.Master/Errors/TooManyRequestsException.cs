namespace Determinant.Master.Errors;

/// <summary>Answered with HTTP 429 and a <c>Retry-After</c> header of whole seconds.</summary>
internal sealed class TooManyRequestsException(string message, TimeSpan retryAfter) : MasterException(message)
{
    public override int StatusCode => 429;

    public override string Title => "Too many requests";

    public TimeSpan RetryAfter { get; } = retryAfter;

    /// <summary>The header's value: whole seconds, rounded up, at least 1.</summary>
    public static string Seconds(TimeSpan retryAfter) =>
        Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
