using System.Diagnostics;
using System.Net;
using System.Security.Claims;
using Determinant.Master.Auth;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Master.Tasks;
using Microsoft.EntityFrameworkCore;
using Yarp.ReverseProxy.Forwarder;

namespace Determinant.Master.Proxy;

/// <summary>
/// <c>/proxy/&lt;task id&gt;/…</c>: HTTP and WebSocket traffic to a task's service (a notebook's Jupyter, a TensorBoard),
/// forwarded by YARP with the path unchanged — services start with that prefix as their base URL (REFERENCE.md §7.5).
/// </summary>
/// <remarks>
/// Who gets through: the task's owner and admins (403 for anyone else; 401 without a session or token, from the
/// master's fallback policy). A task that is not serving yet answers 503 with <c>Retry-After</c>; one that ended, 404.
/// The caller's Determinant credentials (its bearer token, its session cookie) never reach the service: the proxy
/// replaces them with the task's own service token. Every proxied request resets the task's idle timer.
/// </remarks>
internal static partial class TaskProxy
{
    public const string Prefix = "/proxy";

    /// <summary>How long a looked-up target is trusted (unless an allocation ended meanwhile).</summary>
    private static readonly TimeSpan TargetLifetime = TimeSpan.FromMilliseconds(500);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (Target Target, long At, long Exits)> Targets = new(StringComparer.Ordinal);

    private static readonly HttpMessageInvoker Client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        ActivityHeadersPropagator = null,
        ConnectTimeout = TimeSpan.FromSeconds(15),
    });

    public static void Map(IEndpointRouteBuilder app)
    {
        app.Map(Prefix + "/{taskId}/{**rest}", ForwardAsync).ExcludeFromDescription();
    }

    internal static async Task ForwardAsync(string taskId, HttpContext http, ClaimsPrincipal user, MasterDbContext db, IHttpForwarder forwarder,
        TaskActivity activity, TaskServiceRegistry services, TimeProvider time, ILoggerFactory loggers)
    {
        if (http.Request.Path.Value is { } path && !path.EndsWith('/') && path.Count(c => c == '/') == 2)
        {
            // "/proxy/<id>": the service's base URL has the slash.
            http.Response.Redirect(path + "/" + http.Request.QueryString);
            return;
        }
        var target = await TargetAsync(taskId, db, time, services.Exits, http.RequestAborted).ConfigureAwait(false);
        if (target is null)
        {
            await Problem(http, StatusCodes.Status404NotFound, $"task {taskId} not found").ConfigureAwait(false);
            return;
        }
        if (!user.IsAdmin() && user.GetUserId() != target.OwnerId)
        {
            await Problem(http, StatusCodes.Status403Forbidden, "only the task's owner or an admin may open it").ConfigureAwait(false);
            return;
        }
        if (target.Live is null)
        {
            await Problem(http, StatusCodes.Status404NotFound, $"task {taskId} is not running").ConfigureAwait(false);
            return;
        }
        if (target.Live.ProxyAddress is null || !target.Live.Ready)
        {
            http.Response.Headers.RetryAfter = "1";
            await Problem(http, StatusCodes.Status503ServiceUnavailable, $"task {taskId} is starting; its service does not answer yet").ConfigureAwait(false);
            return;
        }
        activity.Touch(taskId);
        var error = await forwarder.SendAsync(http, target.Live.ProxyAddress, Client, ForwarderRequestConfig.Empty,
            new ServiceTransformer(target.ServiceToken)).ConfigureAwait(false);
        if (error != ForwarderError.None)
            LogForwardFailed(loggers.CreateLogger(typeof(TaskProxy)), taskId, error);
    }

    /// <summary>Where a task serves and who owns it. A live, ready target is kept for <see cref="TargetLifetime"/>: a page's burst of requests costs one query.</summary>
    private static async Task<Target?> TargetAsync(string taskId, MasterDbContext db, TimeProvider time, long exits, CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        // Any allocation's end invalidates the cache, so an ended task answers 404 at once.
        if (Targets.TryGetValue(taskId, out var cached) && cached.Exits == exits && time.GetElapsedTime(cached.At, now) < TargetLifetime)
            return cached.Target;
        var target = await db.Tasks.AsNoTracking().Where(t => t.Id == taskId && t.Type != TaskType.Trial)
            .Select(t => new Target(
                t.OwnerId,
                t.ServiceToken,
                db.Allocations.Where(a => a.TaskId == t.Id && a.State != AllocationState.Terminated)
                    .Select(a => new LiveService(a.ProxyAddress, a.Ready)).FirstOrDefault()))
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (target?.Live is { Ready: true, ProxyAddress: not null })
            Targets[taskId] = (target, now, exits);
        else
            Targets.TryRemove(taskId, out _);
        return target;
    }

    private sealed record Target(int OwnerId, string? ServiceToken, LiveService? Live);

    private sealed record LiveService(string? ProxyAddress, bool Ready);

    private static Task Problem(HttpContext http, int status, string detail)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(new { title = ReasonPhrases(status), status, detail });
    }

    private static string ReasonPhrases(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Proxy to task {TaskId} failed: {Error}")]
    private static partial void LogForwardFailed(ILogger logger, string taskId, ForwarderError error);

    /// <summary>The request as the service sees it: path unchanged, forwarding headers set, the caller's credentials swapped for the task's.</summary>
    private sealed class ServiceTransformer(string? serviceToken) : HttpTransformer
    {
        public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix,
            CancellationToken cancellationToken)
        {
            await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
            var headers = proxyRequest.Headers;
            headers.Remove("Authorization");
            headers.Remove("x-allocation-token");
            headers.Remove(WebSessionCookie.RequestHeader);
            headers.Remove("Cookie");
            if (RemainingCookies(httpContext.Request) is { Length: > 0 } cookies)
                headers.TryAddWithoutValidation("Cookie", cookies);
            if (serviceToken is not null)
                headers.TryAddWithoutValidation("Authorization", "token " + serviceToken);
            var client = httpContext.Connection.RemoteIpAddress?.ToString() ?? "";
            headers.Remove("X-Forwarded-For");
            headers.Remove("X-Forwarded-Proto");
            headers.Remove("X-Real-IP");
            var forwardedFor = httpContext.Request.Headers["X-Forwarded-For"].ToString();
            headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor.Length > 0 ? $"{forwardedFor}, {client}" : client);
            headers.TryAddWithoutValidation("X-Forwarded-Proto", httpContext.Request.Scheme);
            headers.TryAddWithoutValidation("X-Real-IP", client);
            // The service sees the host the browser used, so that its own origin checks (Jupyter's) agree.
            headers.Host = httpContext.Request.Host.Value;
        }

        /// <summary>The caller's cookies but the master's session: the service's own (Jupyter's _xsrf) pass through.</summary>
        private static string RemainingCookies(HttpRequest request) =>
            string.Join("; ", request.Cookies.Where(c => c.Key != WebSessionCookie.Name).Select(c => $"{c.Key}={c.Value}"));
    }
}
