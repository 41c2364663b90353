using Determinant.Protocol.Api;

namespace Determinant.Client;

public sealed partial class DeterminantClient
{
    /// <summary>One checkpoint by its UUID, with its files and their sizes (<see cref="Checkpoint.Resources"/>).</summary>
    /// <param name="uuid">The checkpoint's UUID.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The checkpoint; <see cref="Checkpoint.DownloadAsync(string, CheckpointDownloadMode, IProgress{long}?, CancellationToken)"/> fetches its files.</returns>
    /// <exception cref="ArgumentException"><paramref name="uuid"/> is not a UUID.</exception>
    /// <exception cref="DeterminantApiException">404 when there is no such checkpoint.</exception>
    public async Task<Checkpoint> GetCheckpointAsync(string uuid, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(uuid, out var parsed))
            throw new ArgumentException($"'{uuid}' is not a checkpoint UUID", nameof(uuid));
        var response = await _api.GetAsync($"api/v1/checkpoints/{parsed:D}", ApiJsonContext.Default.CheckpointResponse, cancellationToken).ConfigureAwait(false);
        return new Checkpoint(this, response.Checkpoint);
    }
}
