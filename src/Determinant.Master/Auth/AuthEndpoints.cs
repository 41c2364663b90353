using Determinant.Master.Configuration;
using System.Security.Claims;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Master.Errors;
using Determinant.Protocol.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Determinant.Master.Auth;

/// <summary>Login, logout and the current user.</summary>
internal static class AuthEndpoints
{
    /// <summary>The same words whether the user or the password was wrong.</summary>
    public const string BadCredentials = "invalid credentials";

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/auth/login", LoginAsync).AllowAnonymous().RequireRateLimiting(LoginThrottle.AddressPolicy);
        api.MapPost("/auth/logout", LogoutAsync);
        api.MapGet("/me", MeAsync);
    }

    /// <summary>
    /// Checks the password, spending the same hash work whether or not the user exists, and counts a failure against
    /// the account and the caller's address (<see cref="LoginThrottle"/>): past either limit it answers 429.
    /// </summary>
    internal static async Task<LoginResponse> LoginAsync(
        LoginRequest request, HttpContext context, LoginThrottle throttle, MasterDbContext db, TimeProvider time, IOptions<MasterOptions> options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var attempt = await throttle.EnterAccountAsync(request.Username, cancellationToken).ConfigureAwait(false);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Username == request.Username, cancellationToken).ConfigureAwait(false);
        var password = request.Password ?? "";
        var matches = PasswordHasher.Verify(password, user?.PasswordHash ?? PasswordHasher.Decoy);
        if (user is null || !matches || !user.Active || password.Length == 0)
        {
            throttle.Failed(context, request.Username);
            throw new UnauthorizedException(BadCredentials);
        }
        throttle.Succeeded(request.Username);
        var token = UserTokens.Issue(db, user.Id, time.GetUtcNow().UtcDateTime, options.Value.TokenLifetimeHours);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return new LoginResponse(token, UserEndpoints.ToDto(user));
    }

    internal static async Task<IResult> LogoutAsync(ClaimsPrincipal principal, MasterDbContext db, CancellationToken cancellationToken)
    {
        var hash = principal.FindFirstValue(MasterClaims.TokenHash) ?? throw new UnauthorizedException("not logged in");
        await db.AuthTokens.Where(t => t.TokenHash == hash)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Revoked, true), cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    internal static async Task<MeResponse> MeAsync(ClaimsPrincipal principal, MasterDbContext db, CancellationToken cancellationToken)
    {
        var id = principal.GetUserId();
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, cancellationToken).ConfigureAwait(false)
            ?? throw new UnauthorizedException("not logged in");
        return new MeResponse(UserEndpoints.ToDto(user));
    }
}
