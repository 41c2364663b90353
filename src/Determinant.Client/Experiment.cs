using System.Text.Json.Nodes;
using Determinant.Protocol.Api;

namespace Determinant.Client;

/// <summary>An experiment on the master: what was last read of it, and the actions and queries on it.</summary>
/// <remarks>The snapshot (<see cref="Info"/>) is as of the last read; <see cref="RefreshAsync"/> reads it again.</remarks>
public sealed partial class Experiment
{
    private readonly DeterminantClient _client;

    internal Experiment(DeterminantClient client, ExperimentDto info, JsonObject? config)
    {
        _client = client;
        Info = info;
        Config = config;
    }

    /// <summary>The experiment id.</summary>
    public int Id => Info.Id;

    /// <summary>The state as of the last read.</summary>
    public ExperimentState State => Info.State;

    /// <summary>Everything the master said about the experiment at the last read.</summary>
    public ExperimentDto Info { get; private set; }

    /// <summary>The resolved config (JSON); null when the experiment came from a list.</summary>
    public JsonObject? Config { get; private set; }

    /// <summary>Reads the experiment again.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>This experiment, updated.</returns>
    /// <exception cref="DeterminantApiException">The request failed (404 once it was deleted).</exception>
    public async Task<Experiment> RefreshAsync(CancellationToken cancellationToken)
    {
        var fresh = await _client.GetExperimentAsync(Id, cancellationToken).ConfigureAwait(false);
        Info = fresh.Info;
        Config = fresh.Config;
        return this;
    }

    /// <summary>Polls every 5 seconds, without a deadline, until the experiment reaches a terminal state and returns that state.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The terminal state (COMPLETED, CANCELED, ERROR, or a deletion state).</returns>
    /// <exception cref="DeterminantApiException">A poll failed after its retries.</exception>
    public Task<ExperimentState> WaitAsync(CancellationToken cancellationToken = default) =>
        WaitAsync(TimeSpan.FromSeconds(5), null, cancellationToken);

    /// <summary>Polls until the experiment reaches a terminal state and returns that state.</summary>
    /// <param name="interval">Time between two polls.</param>
    /// <param name="timeout">Give up after this long; null to wait without a deadline.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The terminal state (COMPLETED, CANCELED, ERROR, or a deletion state).</returns>
    /// <exception cref="TimeoutException">The deadline passed first.</exception>
    /// <exception cref="DeterminantApiException">A poll failed after its retries.</exception>
    public async Task<ExperimentState> WaitAsync(TimeSpan interval, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var time = _client.Api.Options.TimeProvider;
        var start = time.GetTimestamp();
        while (true)
        {
            await RefreshAsync(cancellationToken).ConfigureAwait(false);
            if (StateNames.IsTerminal(State))
                return State;
            if (timeout is { } limit && time.GetElapsedTime(start) + interval > limit)
                throw new TimeoutException($"experiment {Id} is still {StateNames.Display(State)} after {limit.TotalSeconds:0} s");
            await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The experiment's trials, by id.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The trials.</returns>
    /// <exception cref="DeterminantApiException">The request failed.</exception>
    public async Task<IReadOnlyList<Trial>> ListTrialsAsync(CancellationToken cancellationToken = default)
    {
        var response = await _client.Api.GetAsync($"api/v1/experiments/{DeterminantClient.Id(Id)}/trials",
            ApiJsonContext.Default.TrialsResponse, cancellationToken).ConfigureAwait(false);
        return response.Trials.Select(t => new Trial(_client, t)).ToList();
    }

    /// <summary>Whether a smaller searcher metric is better, from the config (true when unknown, as the searcher defaults).</summary>
    public bool SmallerIsBetter => Config?["searcher"]?["smaller_is_better"] is JsonValue v && v.TryGetValue<bool>(out var smaller) ? smaller : true;
}
