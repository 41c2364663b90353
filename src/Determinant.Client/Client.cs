namespace Determinant.Client;

/// <summary>The SDK's entry point: log in to a master and get a <see cref="DeterminantClient"/>.</summary>
/// <example>
/// <code>
/// using var client = await Client.LoginAsync("http://localhost:8080", "determined", password);
/// var experiment = await client.GetExperimentAsync(1);
/// await experiment.WaitAsync();
/// var best = await experiment.TopCheckpointAsync();
/// </code>
/// </example>
public static class Client
{
    /// <summary>The master when neither an argument nor <c>DET_MASTER</c> names one.</summary>
    public const string DefaultMaster = "http://localhost:8080";

    /// <summary>Logs in with a user name and password.</summary>
    /// <param name="master">The master's address in any form <see cref="MasterUrl.Canonicalize"/> accepts, such as <c>localhost:8080</c>.</param>
    /// <param name="user">The user.</param>
    /// <param name="password">The password; it is sent to the master, which stores only a salted hash.</param>
    /// <param name="cancellationToken">Cancels the login.</param>
    /// <returns>A client for that user; dispose it when done.</returns>
    /// <exception cref="DeterminantApiException">401 for a wrong user or password; no status when the master is unreachable.</exception>
    public static Task<DeterminantClient> LoginAsync(string master, string user, string password, CancellationToken cancellationToken = default) =>
        DeterminantClient.LoginAsync(master, user, password, cancellationToken);

    /// <summary>
    /// Logs in from the environment: the master from <c>DET_MASTER</c>; inside a task (a command, a notebook), its
    /// owner's <c>DET_USER_TOKEN</c>; otherwise the user and password from <c>DET_USER</c> and <c>DET_PASS</c>, as the CLI does
    /// without a stored token.
    /// </summary>
    /// <param name="cancellationToken">Cancels the login.</param>
    /// <returns>A client for that user; dispose it when done.</returns>
    /// <exception cref="InvalidOperationException">Neither <c>DET_USER_TOKEN</c> nor <c>DET_USER</c> and <c>DET_PASS</c> are set.</exception>
    /// <exception cref="DeterminantApiException">401 for a wrong user or password; no status when the master is unreachable.</exception>
    public static Task<DeterminantClient> LoginFromEnvironmentAsync(CancellationToken cancellationToken = default)
    {
        var master = Environment.GetEnvironmentVariable("DET_MASTER") is { Length: > 0 } m ? m : DefaultMaster;
        if (Environment.GetEnvironmentVariable("DET_USER_TOKEN") is { Length: > 0 } token)
            return Task.FromResult(new DeterminantClient(master, token));
        var user = Environment.GetEnvironmentVariable("DET_USER");
        var password = Environment.GetEnvironmentVariable("DET_PASS");
        if (string.IsNullOrEmpty(user) || password is null)
            throw new InvalidOperationException("set DET_USER and DET_PASS (and DET_MASTER unless the master is " + DefaultMaster + ") to log in from the environment");
        return DeterminantClient.LoginAsync(master, user, password, cancellationToken);
    }
}
