using Determinant.Protocol.Api;

namespace Determinant.Client;

public sealed partial class DeterminantClient
{
    /// <summary>The user this client's token belongs to.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The current user.</returns>
    /// <exception cref="DeterminantApiException">401 when the token is not (or no longer) valid.</exception>
    public async Task<UserDto> GetMeAsync(CancellationToken cancellationToken) =>
        (await _api.GetAsync("api/v1/me", ApiJsonContext.Default.MeResponse, cancellationToken).ConfigureAwait(false)).User;

    /// <summary>Every user account.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The users, by id.</returns>
    /// <exception cref="DeterminantApiException">The request failed.</exception>
    public async Task<IReadOnlyList<UserDto>> ListUsersAsync(CancellationToken cancellationToken) =>
        (await _api.GetAsync("api/v1/users", ApiJsonContext.Default.UsersResponse, cancellationToken).ConfigureAwait(false)).Users;

    /// <summary>Creates a user (admins only).</summary>
    /// <param name="username">The new user's name.</param>
    /// <param name="password">Its password: at least 8 characters.</param>
    /// <param name="admin">Whether the user is an admin.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The created user.</returns>
    /// <exception cref="DeterminantApiException">403 for a non-admin, 409 when the name is taken, 400 for a password under 8 characters.</exception>
    public async Task<UserDto> CreateUserAsync(string username, string password, bool admin, CancellationToken cancellationToken) =>
        (await _api.PostAsync("api/v1/users", new CreateUserRequest(username, password, admin),
            ApiJsonContext.Default.CreateUserRequest, ApiJsonContext.Default.MeResponse, cancellationToken).ConfigureAwait(false)).User;

    /// <summary>
    /// Links a user with an unprivileged account on the agents (admins only): their tasks launched from now on run as
    /// that uid and gid (<c>det user link-with-agent-user</c>).
    /// </summary>
    /// <param name="userId">The user's id.</param>
    /// <param name="link">The account: uid and gid 1..2147483647, and optionally its name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The user with the link.</returns>
    /// <exception cref="DeterminantApiException">403 for a non-admin, 404 for an unknown user, 400 for uid or gid 0 or a bad name.</exception>
    public Task<UserDto> LinkWithAgentUserAsync(int userId, AgentUserGroup link, CancellationToken cancellationToken) =>
        _api.SendAsync(HttpMethod.Patch, $"api/v1/users/{Id(userId)}", new PatchUserRequest(link),
            ApiJsonContext.Default.PatchUserRequest, ApiJsonContext.Default.UserDto, cancellationToken);

    /// <summary>Sets another user's password, as an admin; changing one's own needs the old one (the other overload).</summary>
    /// <param name="userId">The user's id.</param>
    /// <param name="password">The new password: at least 8 characters.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the password is changed.</returns>
    /// <exception cref="DeterminantApiException">
    /// 403 for another user's password without admin rights, 404 for an unknown user, 400 for a short password or for
    /// one's own password (which needs the old one).
    /// </exception>
    public Task ChangePasswordAsync(int userId, string password, CancellationToken cancellationToken) =>
        ChangePasswordAsync(userId, password, oldPassword: null, cancellationToken);

    /// <summary>Sets a user's password: one's own with the old one, or anyone else's for an admin (who needs no old one).</summary>
    /// <remarks>
    /// The change revokes every other token of that user (their logins elsewhere, their tasks' <c>DET_USER_TOKEN</c>);
    /// this client's token stays valid.
    /// </remarks>
    /// <param name="userId">The user's id.</param>
    /// <param name="password">The new password: at least 8 characters.</param>
    /// <param name="oldPassword">The current password; required for one's own, ignored for an admin setting another user's.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the password is changed.</returns>
    /// <exception cref="DeterminantApiException">
    /// 403 for a wrong old password or another user's password without admin rights, 404 for an unknown user, 400 for a
    /// short password or a missing old one, 429 (with the seconds to wait in its detail) after too many wrong old passwords.
    /// </exception>
    public Task ChangePasswordAsync(int userId, string password, string? oldPassword, CancellationToken cancellationToken) =>
        _api.SendAsync(HttpMethod.Post, $"api/v1/users/{Id(userId)}/password", new SetPasswordRequest(password, oldPassword),
            ApiJsonContext.Default.SetPasswordRequest, cancellationToken);
}
