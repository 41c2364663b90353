using System.Globalization;

namespace Determinant.Master.Live;

/// <summary>
/// A server-sent-events answer: opened with the headers that keep proxies from buffering it, then named events, and a
/// comment line every <see cref="Heartbeat"/> so that idle connections are not cut.
/// </summary>
internal sealed class EventStream
{
    /// <summary>How often an otherwise quiet stream sends a comment line.</summary>
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    private readonly HttpResponse _response;
    private DateTime _nextHeartbeat = DateTime.UtcNow + Heartbeat;

    private EventStream(HttpResponse response) => _response = response;

    /// <summary>Starts the answer: content type, no caching or proxy buffering, and a reconnect delay of 1 s.</summary>
    public static async Task<EventStream> OpenAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.WriteAsync(": connected\n\nretry: 1000\n\n", cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
        return new EventStream(response);
    }

    /// <summary>Sends one event (its data on one line) at once.</summary>
    public async Task WriteAsync(string name, string data, CancellationToken cancellationToken)
    {
        await _response.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"event: {name}\ndata: {data}\n\n"), cancellationToken).ConfigureAwait(false);
        await _response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends the heartbeat comment when it is due.</summary>
    public async Task HeartbeatIfDueAsync(CancellationToken cancellationToken)
    {
        if (DateTime.UtcNow < _nextHeartbeat)
            return;
        await _response.WriteAsync(": heartbeat\n\n", cancellationToken).ConfigureAwait(false);
        await _response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
        _nextHeartbeat = DateTime.UtcNow + Heartbeat;
    }
}
