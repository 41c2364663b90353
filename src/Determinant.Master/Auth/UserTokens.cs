using Determinant.Master.Data;
using Determinant.Master.Data.Entities;

namespace Determinant.Master.Auth;

/// <summary>Issues user tokens: a login's, or a task's (<c>DET_USER_TOKEN</c>, revoked when the task ends). Only the hash is stored.</summary>
internal static class UserTokens
{
    /// <summary>Adds the token's row to <paramref name="db"/> (not yet saved) and returns the token itself.</summary>
    public static string Issue(MasterDbContext db, int userId, DateTime now, int lifetimeHours, string? taskId = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        var token = TokenHasher.NewToken();
        db.AuthTokens.Add(new AuthTokenEntity
        {
            UserId = userId,
            TokenHash = TokenHasher.Hash(token),
            CreatedAt = now,
            ExpiresAt = now.AddHours(lifetimeHours),
            TaskId = taskId,
        });
        return token;
    }
}
