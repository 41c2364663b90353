using Determinant.Master.Configuration;
using System.Security.Claims;
using Determinant.Master.Auth;
using Determinant.Master.Data;
using Determinant.Protocol.Api;
using Microsoft.Extensions.Options;

namespace Determinant.Master.WebUi;

/// <summary>
/// The web UI's login: the same credentials and token as <c>/auth/login</c>, but the token goes into an HttpOnly,
/// SameSite=Strict cookie that scripts cannot read, and never into a URL. Logging out revokes the token.
/// </summary>
internal static class WebSession
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/auth/web-login", LoginAsync).AllowAnonymous().RequireRateLimiting(LoginThrottle.AddressPolicy);
        api.MapPost("/auth/web-logout", LogoutAsync);
    }

    internal static async Task<MeResponse> LoginAsync(LoginRequest request, HttpContext context, LoginThrottle throttle, MasterDbContext db,
        TimeProvider time, IOptions<MasterOptions> options, CancellationToken cancellationToken)
    {
        var login = await AuthEndpoints.LoginAsync(request, context, throttle, db, time, options, cancellationToken).ConfigureAwait(false);
        context.Response.Cookies.Append(WebSessionCookie.Name, login.Token, CookieOptions(context, time.GetUtcNow().AddHours(options.Value.TokenLifetimeHours)));
        return new MeResponse(login.User);
    }

    /// <summary>Revokes the session's token and clears the cookie (a session that already ended answers 401, as every route does).</summary>
    internal static async Task<IResult> LogoutAsync(HttpContext context, ClaimsPrincipal principal, MasterDbContext db, CancellationToken cancellationToken)
    {
        if (principal.FindFirstValue(MasterClaims.TokenHash) is not null)
            await AuthEndpoints.LogoutAsync(principal, db, cancellationToken).ConfigureAwait(false);
        context.Response.Cookies.Delete(WebSessionCookie.Name, CookieOptions(context, null));
        return TypedResults.NoContent();
    }

    private static CookieOptions CookieOptions(HttpContext context, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };
}
