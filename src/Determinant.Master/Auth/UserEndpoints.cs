using System.Security.Claims;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Master.Errors;
using Determinant.Protocol.Api;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Auth;

/// <summary>
/// User accounts: list, create (admins), link with an agent user (admins) and change a password: one's own with the old password, or, for an admin,
/// anyone else's without it. A change revokes every other token of the user (logins and tasks' <c>DET_USER_TOKEN</c>);
/// the token that made the change stays valid.
/// </summary>
internal static class UserEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/users", ListAsync);
        api.MapPost("/users", CreateAsync);
        api.MapPost("/users/{id:int}/password", SetPasswordAsync).RequireRateLimiting(LoginThrottle.AddressPolicy);
        api.MapPatch("/users/{id:int}", PatchAsync);
    }

    public static UserDto ToDto(UserEntity user) => new(user.Id, user.Username, user.Admin, user.Active, AgentUserLinks.Of(user));

    /// <summary>
    /// Changes a user's settings; today the agent account their tasks run as (admins only), which their next task
    /// launch uses.
    /// </summary>
    internal static async Task<UserDto> PatchAsync(
        int id, PatchUserRequest request, ClaimsPrincipal principal, MasterDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!principal.IsAdmin())
            throw new ForbiddenException("only admins may link a user with an agent user");
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException($"user {id} not found");
        if (request.AgentUserGroup is { } link)
            AgentUserLinks.Apply(user, link);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return ToDto(user);
    }

    internal static async Task<UsersResponse> ListAsync(MasterDbContext db, CancellationToken cancellationToken)
    {
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        return new UsersResponse(users.Select(ToDto).ToList());
    }

    internal static async Task<IResult> CreateAsync(
        CreateUserRequest request, ClaimsPrincipal principal, MasterDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!principal.IsAdmin())
            throw new ForbiddenException("only admins may create users");
        await Usernames.RequireNewAsync(db, request.Username, cancellationToken).ConfigureAwait(false);
        RequirePassword(request.Password);
        var user = new UserEntity
        {
            Username = request.Username,
            PasswordHash = PasswordHasher.Hash(request.Password),
            Admin = request.Admin,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/api/v1/users/{user.Id}", new MeResponse(ToDto(user)));
    }

    internal static async Task<IResult> SetPasswordAsync(
        int id, SetPasswordRequest request, ClaimsPrincipal principal, HttpContext context, LoginThrottle throttle, MasterDbContext db,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var own = principal.GetUserId() == id;
        if (!own && !principal.IsAdmin())
            throw new ForbiddenException("only admins may change another user's password");
        RequirePassword(request.Password);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException($"user {id} not found");
        if (own)
            await RequireOldPasswordAsync(request.OldPassword, user, context, throttle, cancellationToken).ConfigureAwait(false);
        var hash = PasswordHasher.Hash(request.Password);
        var keep = principal.FindFirstValue(MasterClaims.TokenHash);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        user.PasswordHash = hash;
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await db.AuthTokens.Where(t => t.UserId == id && !t.Revoked && t.TokenHash != keep)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Revoked, true), cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// One's own password changes only with the old one, so that a stolen token cannot take the account over; a wrong
    /// one counts as a failed login of the account.
    /// </summary>
    private static async Task RequireOldPasswordAsync(
        string? oldPassword, UserEntity user, HttpContext context, LoginThrottle throttle, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(oldPassword))
            throw new BadRequestException("oldPassword: the current password is required to change your own password");
        using var attempt = await throttle.EnterAccountAsync(user.Username, cancellationToken).ConfigureAwait(false);
        if (!PasswordHasher.Verify(oldPassword, user.PasswordHash))
        {
            throttle.Failed(context, user.Username);
            throw new ForbiddenException("oldPassword: the current password is wrong");
        }
        throttle.Succeeded(user.Username);
    }

    /// <summary>No account gets an empty or short password (<see cref="PasswordPolicy"/>).</summary>
    private static void RequirePassword(string? password)
    {
        if (PasswordPolicy.Problem(password) is { } problem)
            throw new BadRequestException($"password: {problem}");
    }
}
