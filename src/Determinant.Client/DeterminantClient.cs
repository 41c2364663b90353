using System.Globalization;
using Determinant.Protocol.Api;

namespace Determinant.Client;

/// <summary>A connection to one Determinant master as one user: experiments, trials, checkpoints, users and master info.</summary>
/// <remarks>
/// Make one with <see cref="LoginAsync(string, string, string, CancellationToken)"/>, or from a token you already hold.
/// Every failed request throws <see cref="DeterminantApiException"/>. Idempotent requests are retried after connection
/// failures and 502/503/504 (<see cref="DeterminantClientOptions"/>); others are sent once.
/// </remarks>
public sealed partial class DeterminantClient : IDisposable
{
    private readonly ApiConnection _api;

    /// <summary>Connects with a token from an earlier login (or a task's <c>DET_USER_TOKEN</c>).</summary>
    /// <param name="master">The master's address in any form <see cref="MasterUrl.Canonicalize"/> accepts.</param>
    /// <param name="token">The bearer token.</param>
    /// <param name="options">Timeouts and retries; null for the defaults.</param>
    /// <exception cref="ArgumentException">The master address is not valid.</exception>
    public DeterminantClient(string master, string token, DeterminantClientOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        Token = token;
        _api = new ApiConnection(master, token, options ?? new DeterminantClientOptions());
    }

    /// <summary>The master's canonical URL, e.g. <c>http://localhost:8080</c>.</summary>
    public string Master => _api.Master;

    /// <summary>The bearer token this client sends.</summary>
    public string Token { get; }

    internal ApiConnection Api => _api;

    /// <summary>Logs in with a user name and password and returns a client that uses the new token.</summary>
    /// <param name="master">The master's address.</param>
    /// <param name="username">The user.</param>
    /// <param name="password">The password; it is sent to the master, which stores only a salted hash.</param>
    /// <param name="cancellationToken">Cancels the login.</param>
    /// <returns>A client for that user.</returns>
    /// <exception cref="DeterminantApiException">401 for a wrong user or password; no status when the master is unreachable.</exception>
    public static Task<DeterminantClient> LoginAsync(string master, string username, string password, CancellationToken cancellationToken) =>
        LoginAsync(master, username, password, null, cancellationToken);

    /// <summary>Logs in with a user name and password, with explicit options.</summary>
    /// <param name="master">The master's address.</param>
    /// <param name="username">The user.</param>
    /// <param name="password">The password.</param>
    /// <param name="options">Timeouts and retries; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the login.</param>
    /// <returns>A client for that user.</returns>
    /// <exception cref="DeterminantApiException">401 for a wrong user or password, 429 after too many wrong passwords for the account or from this address; no status when the master is unreachable.</exception>
    public static async Task<DeterminantClient> LoginAsync(
        string master, string username, string password, DeterminantClientOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(password);
        options ??= new DeterminantClientOptions();
        using var anonymous = new ApiConnection(master, null, options);
        var login = await anonymous.PostAsync("api/v1/auth/login", new LoginRequest(username, password),
            ApiJsonContext.Default.LoginRequest, ApiJsonContext.Default.LoginResponse, cancellationToken).ConfigureAwait(false);
        return new DeterminantClient(master, login.Token, options) { User = login.User };
    }

    /// <summary>The user the login answered with; null for a client made from a token (see <see cref="GetMeAsync"/>).</summary>
    public UserDto? User { get; private init; }

    /// <summary>Whether the master answers <c>GET /health</c> with success; never throws for an unreachable master.</summary>
    /// <param name="master">The master's address.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>True when the master and its database are up.</returns>
    public static async Task<bool> IsHealthyAsync(string master, CancellationToken cancellationToken)
    {
        using var anonymous = new ApiConnection(master, null, new DeterminantClientOptions { MaxRetries = 0, RequestTimeout = TimeSpan.FromSeconds(5) });
        try
        {
            await anonymous.SendAsync(HttpMethod.Get, "health", cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DeterminantApiException)
        {
            return false;
        }
    }

    /// <summary>The master's version, cluster id and cluster name.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The master info.</returns>
    /// <exception cref="DeterminantApiException">The request failed.</exception>
    public Task<MasterInfo> GetMasterInfoAsync(CancellationToken cancellationToken) =>
        _api.GetAsync("api/v1/master", ApiJsonContext.Default.MasterInfo, cancellationToken);

    /// <summary>Revokes this client's token on the master; the client is useless afterwards.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the token is revoked.</returns>
    /// <exception cref="DeterminantApiException">The request failed (401 when the token was no longer valid).</exception>
    public Task LogoutAsync(CancellationToken cancellationToken) =>
        _api.SendAsync(HttpMethod.Post, "api/v1/auth/logout", cancellationToken);

    internal static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>Closes the HTTP connections.</summary>
    public void Dispose() => _api.Dispose();
}
