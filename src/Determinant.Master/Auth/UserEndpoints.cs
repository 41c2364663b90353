using System.Security.Claims;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Master.Errors;
using Determinant.Protocol.Api;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Auth;

/// <summary>User accounts: list, create (admins) and change a password (oneself, or admins for anyone).</summary>
internal static class UserEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/users", ListAsync);
        api.MapPost("/users", CreateAsync);
        api.MapPost("/users/{id:int}/password", SetPasswordAsync);
    }

    public static UserDto ToDto(UserEntity user) => new(user.Id, user.Username, user.Admin, user.Active);

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
        if (string.IsNullOrWhiteSpace(request.Username))
            throw new BadRequestException("username must not be empty");
        RequirePassword(request.Password);
        if (await db.Users.AnyAsync(u => u.Username == request.Username, cancellationToken).ConfigureAwait(false))
            throw new ConflictException($"user '{request.Username}' already exists");
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
        int id, SetPasswordRequest request, ClaimsPrincipal principal, MasterDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!principal.IsAdmin() && principal.GetUserId() != id)
            throw new ForbiddenException("only admins may change another user's password");
        RequirePassword(request.Password);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException($"user {id} not found");
        user.PasswordHash = PasswordHasher.Hash(request.Password);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    /// <summary>No account gets an empty or short password (<see cref="PasswordPolicy"/>).</summary>
    private static void RequirePassword(string? password)
    {
        if (PasswordPolicy.Problem(password) is { } problem)
            throw new BadRequestException($"password: {problem}");
    }
}
