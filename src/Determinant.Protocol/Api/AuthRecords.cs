namespace Determinant.Protocol.Api;

/// <summary><c>POST /api/v1/auth/login</c>.</summary>
public sealed record LoginRequest(string Username, string Password);

/// <summary>A bearer token and the user it belongs to.</summary>
public sealed record LoginResponse(string Token, UserDto User);

/// <summary>A user account as the API shows it (never its password hash).</summary>
/// <param name="Id">The user's id.</param>
/// <param name="Username">The user's name.</param>
/// <param name="Admin">Whether the user is an admin.</param>
/// <param name="Active">Whether the user may log in.</param>
/// <param name="AgentUserGroup">The agent account the user's tasks run as, when an admin linked one; null: the agents' default.</param>
public sealed record UserDto(int Id, string Username, bool Admin, bool Active, AgentUserGroup? AgentUserGroup = null);

/// <summary>
/// The unix account on the agents that a user's tasks run as (<c>det user link-with-agent-user</c>, as in Determined);
/// neither id may be 0, since tasks never run as root.
/// </summary>
/// <param name="AgentUid">The account's user id, 1..2147483647.</param>
/// <param name="AgentGid">Its group id, 1..2147483647.</param>
/// <param name="AgentUser">Its name, for logs; optional.</param>
public sealed record AgentUserGroup(int AgentUid, int AgentGid, string? AgentUser = null);

/// <summary><c>PATCH /api/v1/users/{id}</c> (admins only): the fields to change; a null field stays as it is.</summary>
public sealed record PatchUserRequest(AgentUserGroup? AgentUserGroup = null);

/// <summary><c>GET /api/v1/me</c>.</summary>
public sealed record MeResponse(UserDto User);

/// <summary><c>GET /api/v1/users</c>.</summary>
public sealed record UsersResponse(IReadOnlyList<UserDto> Users);

/// <summary><c>POST /api/v1/users</c> (admins only).</summary>
public sealed record CreateUserRequest(string Username, string Password, bool Admin = false);

/// <summary>
/// <c>POST /api/v1/users/{id}/password</c>: <paramref name="OldPassword"/> is required to change one's own password and
/// ignored when an admin sets another user's.
/// </summary>
public sealed record SetPasswordRequest(string Password, string? OldPassword = null);

/// <summary><c>GET /api/v1/master</c>.</summary>
public sealed record MasterInfo(string Version, string ClusterId, string ClusterName);
