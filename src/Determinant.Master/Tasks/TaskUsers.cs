using Determinant.Master.Auth;
using Determinant.Master.Data.Entities;
using Determinant.Protocol.Agent;

namespace Determinant.Master.Tasks;

/// <summary>The agent account a user's tasks run as: the one they are linked with (<c>det user link-with-agent-user</c>), else the agents' default.</summary>
internal static class TaskUsers
{
    public static TaskUser? RunAs(UserEntity owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return AgentUserLinks.Of(owner) is { } link ? new TaskUser(link.AgentUid, link.AgentGid, link.AgentUser) : null;
    }
}
