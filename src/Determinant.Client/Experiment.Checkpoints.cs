using Determinant.Protocol.Api;

namespace Determinant.Client;

public sealed partial class Experiment
{
    /// <summary>The experiment's checkpoints, sorted as asked.</summary>
    /// <param name="sortBy">The sort key.</param>
    /// <param name="order">Ascending or descending.</param>
    /// <param name="limit">At most this many; null for all.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The checkpoints.</returns>
    /// <exception cref="DeterminantApiException">The request failed.</exception>
    public async Task<IReadOnlyList<Checkpoint>> ListCheckpointsAsync(
        CheckpointSortBy sortBy, SortOrder order, int? limit, CancellationToken cancellationToken = default)
    {
        var key = sortBy switch
        {
            CheckpointSortBy.Uuid => "UUID",
            CheckpointSortBy.TrialId => "TRIAL_ID",
            CheckpointSortBy.BatchNumber => "BATCH_NUMBER",
            CheckpointSortBy.EndTime => "END_TIME",
            CheckpointSortBy.State => "STATE",
            _ => "SEARCHER_METRIC",
        };
        var path = $"api/v1/experiments/{DeterminantClient.Id(Id)}/checkpoints?sortByAttr={key}"
            + $"&orderBy={(order == SortOrder.Descending ? "desc" : "asc")}&limit={DeterminantClient.Id(limit ?? 0)}";
        var response = await _client.Api.GetAsync(path, ApiJsonContext.Default.CheckpointsResponse, cancellationToken).ConfigureAwait(false);
        return response.Checkpoints.Select(c => new Checkpoint(_client, c)).ToList();
    }

    /// <summary>The completed checkpoints that have a searcher metric, best first (respecting <c>smaller_is_better</c>).</summary>
    /// <param name="count">At most this many.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The best checkpoints.</returns>
    /// <exception cref="DeterminantApiException">A request failed.</exception>
    public async Task<IReadOnlyList<Checkpoint>> BestCheckpointsAsync(int count, CancellationToken cancellationToken)
    {
        if (Config is null)
            await RefreshAsync(cancellationToken).ConfigureAwait(false);
        var order = SmallerIsBetter ? SortOrder.Ascending : SortOrder.Descending;
        var all = await ListCheckpointsAsync(CheckpointSortBy.SearcherMetric, order, null, cancellationToken).ConfigureAwait(false);
        return all.Where(c => c.SearcherMetric is not null && c.State == CheckpointState.Completed).Take(count).ToList();
    }

    /// <summary>The best completed checkpoint by the searcher metric; null when no checkpoint has a metric yet.</summary>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The best checkpoint, or null.</returns>
    /// <exception cref="DeterminantApiException">A request failed.</exception>
    public async Task<Checkpoint?> TopCheckpointAsync(CancellationToken cancellationToken = default)
    {
        var best = await BestCheckpointsAsync(1, cancellationToken).ConfigureAwait(false);
        return best.Count > 0 ? best[0] : null;
    }
}
