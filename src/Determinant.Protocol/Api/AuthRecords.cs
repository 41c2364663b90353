namespace Determinant.Protocol.Api;

/// <summary><c>POST /api/v1/auth/login</c>.</summary>
public sealed record LoginRequest(string Username, string Password);

/// <summary>A bearer token and the user it belongs to.</summary>
public sealed record LoginResponse(string Token, UserDto User);

/// <summary>A user account as the API shows it (never its password hash).</summary>
public sealed record UserDto(int Id, string Username, bool Admin, bool Active);

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
