using System.Runtime.CompilerServices;
using System.Text.Json;
using Determinant.Protocol.Api;

namespace Determinant.Client;

/// <summary>A trial: what was last read of it, its metrics and its logs.</summary>
public sealed class Trial
{
    private readonly DeterminantClient _client;

    internal Trial(DeterminantClient client, TrialDto info)
    {
        _client = client;
        Info = info;
    }

    /// <summary>The trial id.</summary>
    public int Id => Info.Id;

    /// <summary>The state as of the last read.</summary>
    public TrialState State => Info.State;

    /// <summary>Everything the master said about the trial at the last read.</summary>
    public TrialDto Info { get; private set; }

    /// <summary>The trial's notes as of the last read; null when it has none.</summary>
    public string? Notes => Info.Notes;

    /// <summary>Replaces the trial's notes (plain text, at most 64 KiB of UTF-8); an empty string clears them.</summary>
    /// <param name="notes">The new notes.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>This trial, updated with what the master stored.</returns>
    /// <exception cref="DeterminantApiException">400 for notes over 64 KiB, 403 for another user's trial, 404 for an unknown one.</exception>
    public async Task<Trial> SetNotesAsync(string notes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notes);
        await _client.Api.SendAsync(HttpMethod.Patch, $"api/v1/trials/{DeterminantClient.Id(Id)}", new PatchTrialRequest(notes),
            ApiJsonContext.Default.PatchTrialRequest, cancellationToken).ConfigureAwait(false);
        Info = (await _client.GetTrialAsync(Id, cancellationToken).ConfigureAwait(false)).Info;
        return this;
    }

    /// <summary>The trial's metrics reports of one group, by steps completed.</summary>
    /// <param name="group"><c>training</c> or <c>validation</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The reports.</returns>
    /// <exception cref="DeterminantApiException">The request failed.</exception>
    public async Task<IReadOnlyList<MetricReportDto>> ListMetricsAsync(string group, CancellationToken cancellationToken)
    {
        var path = $"api/v1/trials/{DeterminantClient.Id(Id)}/metrics?group={Uri.EscapeDataString(group)}";
        return (await _client.Api.GetAsync(path, ApiJsonContext.Default.MetricsResponse, cancellationToken).ConfigureAwait(false)).Metrics;
    }

    /// <summary>The trial's log lines in order; with <paramref name="follow"/>, new lines as they come until the trial ends.</summary>
    /// <param name="follow">Keep the stream open until the trial is terminal.</param>
    /// <param name="limit">At most this many lines from the start; null for all.</param>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>The log lines.</returns>
    /// <exception cref="DeterminantApiException">The stream could not be opened.</exception>
    public IAsyncEnumerable<TrialLogDto> StreamLogsAsync(bool follow, int? limit, CancellationToken cancellationToken) =>
        StreamLogsAsync(follow, limit, null, cancellationToken);

    /// <summary>The trial's log lines that pass <paramref name="filter"/>, oldest first; with <paramref name="follow"/>, until the trial ends.</summary>
    /// <param name="follow">Keep reading new lines until the trial reaches a terminal state.</param>
    /// <param name="limit">At most this many lines; null for all.</param>
    /// <param name="filter">Ranks, agents, containers, levels, streams, sources and a time window; null for every line.</param>
    /// <param name="cancellationToken">Stops the stream.</param>
    /// <exception cref="DeterminantApiException">The master refused the request (for example a malformed filter: 400).</exception>
    public async IAsyncEnumerable<TrialLogDto> StreamLogsAsync(bool follow, int? limit, TrialLogFilter? filter,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = filter?.ToQuery() is { Length: > 0 } q ? "&" + q : "";
        var path = $"api/v1/trials/{DeterminantClient.Id(Id)}/logs?follow={(follow ? "true" : "false")}&limit={DeterminantClient.Id(limit ?? 0)}{query}";
        using var response = await _client.Api.OpenStreamAsync(path, cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
                continue;
            var parsed = JsonSerializer.Deserialize(line, ApiJsonContext.Default.TrialLogLine);
            if (parsed?.Result is { } log)
                yield return log;
        }
    }
}
