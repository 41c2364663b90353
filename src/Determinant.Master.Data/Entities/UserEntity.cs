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

    /// <summary>The agent account this user's tasks run as (<c>det user link-with-agent-user</c>); null: the agents' default account.</summary>
    public int? AgentUid { get; set; }
    public int? AgentGid { get; set; }
    public string? AgentUser { get; set; }
}
