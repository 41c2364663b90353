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
        api.MapPost("/auth/login", LoginAsync).AllowAnonymous();
        api.MapPost("/auth/logout", LogoutAsync);
        api.MapGet("/me", MeAsync);
    }

    internal static async Task<LoginResponse> LoginAsync(
        LoginRequest request, MasterDbContext db, TimeProvider time, IOptions<MasterOptions> options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Username == request.Username, cancellationToken).ConfigureAwait(false);
        var password = request.Password ?? "";
        var matches = PasswordHasher.Verify(password, user?.PasswordHash ?? PasswordHasher.Decoy);
        if (user is null || !matches || !user.Active || password.Length == 0)
            throw new UnauthorizedException(BadCredentials);
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
