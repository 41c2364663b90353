namespace Determinant.Client;

public sealed partial class Experiment
{
    /// <summary>Activates a PAUSED experiment: its trials are scheduled and resume from their latest checkpoints.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the master has recorded the action.</returns>
    /// <exception cref="DeterminantApiException">403 for another user's experiment without admin rights, 409 in a state that forbids it.</exception>
    public Task ActivateAsync(CancellationToken cancellationToken) => ActAsync("activate", cancellationToken);

    /// <summary>Pauses an ACTIVE experiment: its trials checkpoint and stop, and nothing is scheduled until it is activated.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the master has recorded the action.</returns>
    /// <exception cref="DeterminantApiException">403 for another user's experiment without admin rights, 409 in a state that forbids it.</exception>
    public Task PauseAsync(CancellationToken cancellationToken) => ActAsync("pause", cancellationToken);

    /// <summary>Cancels the experiment: its trials checkpoint and end CANCELED.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the master has recorded the action.</returns>
    /// <exception cref="DeterminantApiException">403 for another user's experiment without admin rights.</exception>
    public Task CancelAsync(CancellationToken cancellationToken) => ActAsync("cancel", cancellationToken);

    /// <summary>Kills the experiment: its trials stop at once, without a checkpoint.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the master has recorded the action.</returns>
    /// <exception cref="DeterminantApiException">403 for another user's experiment without admin rights.</exception>
    public Task KillAsync(CancellationToken cancellationToken) => ActAsync("kill", cancellationToken);

    /// <summary>Hides a terminal experiment from default lists.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the master has recorded the action.</returns>
    /// <exception cref="DeterminantApiException">409 when it is not terminal or already archived.</exception>
    public Task ArchiveAsync(CancellationToken cancellationToken) => ActAsync("archive", cancellationToken);

    /// <summary>Shows an archived experiment in default lists again.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the master has recorded the action.</returns>
    /// <exception cref="DeterminantApiException">409 when it is not terminal or not archived.</exception>
    public Task UnarchiveAsync(CancellationToken cancellationToken) => ActAsync("unarchive", cancellationToken);

    /// <summary>Deletes a terminal experiment with its checkpoints, trials and logs.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the master has accepted the deletion.</returns>
    /// <exception cref="DeterminantApiException">409 when the experiment is not terminal.</exception>
    public Task DeleteAsync(CancellationToken cancellationToken) =>
        _client.Api.SendAsync(HttpMethod.Delete, $"api/v1/experiments/{DeterminantClient.Id(Id)}", cancellationToken);

    private Task ActAsync(string action, CancellationToken cancellationToken) =>
        _client.Api.SendAsync(HttpMethod.Post, $"api/v1/experiments/{DeterminantClient.Id(Id)}/{action}", cancellationToken);
}
