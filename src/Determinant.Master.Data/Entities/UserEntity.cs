namespace Determinant.Master.Data.Entities;

/// <summary>A user account; the password only as a PBKDF2 hash string.</summary>
public sealed class UserEntity
{
    public int Id { get; set; }
    public required string Username { get; set; }
    public required string PasswordHash { get; set; }
    public bool Admin { get; set; }
    public bool Active { get; set; } = true;
    public DateTime CreatedAt { get; set; }
}
