namespace Determinant.Protocol.Agent;

/// <summary>The unix account a task runs as: the agent user its owner is linked with (<c>det user link-with-agent-user</c>).</summary>
/// <param name="Uid">User id; never 0.</param>
/// <param name="Gid">Group id.</param>
/// <param name="Name">The account's name, when known.</param>
public sealed record TaskUser(int Uid, int Gid, string? Name = null);
