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

    /// <summary>Sets a user's password: one's own, or anyone's for an admin.</summary>
    /// <param name="userId">The user's id.</param>
    /// <param name="password">The new password: at least 8 characters.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the password is changed.</returns>
    /// <exception cref="DeterminantApiException">403 for another user's password without admin rights, 404 for an unknown user.</exception>
    public Task ChangePasswordAsync(int userId, string password, CancellationToken cancellationToken) =>
        _api.SendAsync(HttpMethod.Post, $"api/v1/users/{Id(userId)}/password", new SetPasswordRequest(password),
            ApiJsonContext.Default.SetPasswordRequest, cancellationToken);
}
