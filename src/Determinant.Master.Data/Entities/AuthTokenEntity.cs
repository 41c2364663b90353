namespace Determinant.Master.Data.Entities;

/// <summary>A user's bearer token, stored only as the SHA-256 hash of the token text.</summary>
public sealed class AuthTokenEntity
{
    public long Id { get; set; }
    public int UserId { get; set; }
    public UserEntity? User { get; set; }
    public required string TokenHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public bool Revoked { get; set; }

    /// <summary>The task this token was issued to (its <c>DET_USER_TOKEN</c>); it is revoked when the task ends. Null for a login.</summary>
    public string? TaskId { get; set; }
}
