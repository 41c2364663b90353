using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Determinant.Master.Auth;

/// <summary>
/// Wires <see cref="LoginThrottle"/> into ASP.NET Core's rate limiter: routes that check a password
/// (<c>RequireRateLimiting(LoginThrottle.AddressPolicy)</c>) are partitioned by client address, and a refusal answers
/// 429 with <c>Retry-After</c> and a problem document, before the body is read or a hash computed.
/// </summary>
internal static class PasswordAttemptLimits
{
    public static void Add(IServiceCollection services)
    {
        services.AddSingleton<LoginThrottle>();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = OnRejectedAsync;
            options.AddPolicy(LoginThrottle.AddressPolicy, context =>
            {
                var throttle = context.RequestServices.GetRequiredService<LoginThrottle>();
                return RateLimitPartition.Get(LoginThrottle.AddressKey(context.Connection.RemoteIpAddress), throttle.Addresses.For);
            });
        });
    }

    private static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var refusal = LoginThrottle.Refusal(context.Lease);
        var http = context.HttpContext;
        http.Response.Headers.RetryAfter = Errors.TooManyRequestsException.Seconds(refusal.RetryAfter);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = refusal.StatusCode, Title = refusal.Title, Detail = refusal.Message },
        }).ConfigureAwait(false);
    }
}
