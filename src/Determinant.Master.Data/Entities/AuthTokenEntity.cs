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
}
