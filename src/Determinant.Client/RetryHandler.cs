using System.Net;
using System.Net.Sockets;

namespace Determinant.Client;

/// <summary>
/// Retries idempotent requests (GET, HEAD, PUT, DELETE, OPTIONS) with exponential backoff after a connection failure or a
/// 502/503/504, as a master that restarts or sits behind a proxy answers for a moment. Anything else is sent once.
/// </summary>
internal sealed class RetryHandler(DeterminantClientOptions options, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var retries = IsIdempotent(request.Method) ? Math.Max(0, options.MaxRetries) : 0;
        var delay = options.InitialRetryDelay;
        for (var attempt = 0; ; attempt++)
        {
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (attempt < retries && IsConnectionFailure(e))
            {
                await WaitAsync(ref delay, cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (attempt >= retries || response.StatusCode is not (HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout))
                return response;
            response.Dispose();
            await WaitAsync(ref delay, cancellationToken).ConfigureAwait(false);
        }
    }

    internal static bool IsIdempotent(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Put || method == HttpMethod.Delete || method == HttpMethod.Options;

    private static bool IsConnectionFailure(HttpRequestException e) =>
        e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.ResponseEnded
        || e.InnerException is SocketException or IOException;

    private Task WaitAsync(ref TimeSpan delay, CancellationToken cancellationToken)
    {
        var wait = delay;
        delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.MaxRetryDelay.Ticks));
        return Task.Delay(wait, options.TimeProvider, cancellationToken);
    }
}
