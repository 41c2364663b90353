namespace Determinant.Master.Data.Entities;

/// <summary>
/// An agent's credential (<c>det agent credential create AGENT_ID</c>): issued by an admin for one agent id, stored only
/// as the SHA-256 hash of its text. Issuing a new one for the same id replaces the old.
/// </summary>
public sealed class AgentCredentialEntity
{
    /// <summary>The agent the credential speaks for; it may register and act only as this id.</summary>
    public required string AgentId { get; set; }

    public required string TokenHash { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>The admin who issued it.</summary>
    public int CreatedBy { get; set; }
}
