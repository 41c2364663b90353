using System.Text.RegularExpressions;
using Determinant.Master.Data.Entities;
using Determinant.Master.Errors;
using Determinant.Protocol.Api;

namespace Determinant.Master.Auth;

/// <summary>
/// What an admin may link a user with (<c>PATCH /api/v1/users/{id}</c> with <c>agentUserGroup</c>): an unprivileged
/// account on the agents, never root's user or group, and a name that is a valid Linux account name.
/// </summary>
internal static partial class AgentUserLinks
{
    /// <summary>Debian's rule for account names (useradd's default NAME_REGEX), at most 32 characters.</summary>
    [GeneratedRegex("^[a-z_][a-z0-9_-]{0,30}[a-z0-9_$-]?$")]
    private static partial Regex AccountName();

    /// <exception cref="BadRequestException">A field breaks a rule; the message names it.</exception>
    public static void Apply(UserEntity user, AgentUserGroup link)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(link);
        if (link.AgentUid <= 0)
            throw new BadRequestException($"agentUserGroup.agentUid: must be 1..2147483647, not {link.AgentUid}; tasks never run as root (uid 0)");
        if (link.AgentGid <= 0)
            throw new BadRequestException($"agentUserGroup.agentGid: must be 1..2147483647, not {link.AgentGid}; tasks never run in root's group (gid 0)");
        if (link.AgentUser is { } name && !AccountName().IsMatch(name))
            throw new BadRequestException(
                $"agentUserGroup.agentUser: '{name}' is not a Linux account name (a lower-case letter or '_', then up to 31 of a-z, 0-9, '_', '-')");
        user.AgentUid = link.AgentUid;
        user.AgentGid = link.AgentGid;
        user.AgentUser = link.AgentUser;
    }

    /// <summary>The user's link as the API shows it, or null.</summary>
    public static AgentUserGroup? Of(UserEntity user) =>
        user.AgentUid is { } uid && user.AgentGid is { } gid ? new AgentUserGroup(uid, gid, user.AgentUser) : null;
}
