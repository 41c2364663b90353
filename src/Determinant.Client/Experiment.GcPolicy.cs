using System.Text;
using Determinant.Protocol.Api;

namespace Determinant.Client;

public sealed partial class Experiment
{
    /// <summary>The checkpoints a garbage collection with this policy would delete; a null count keeps the experiment's own.</summary>
    /// <param name="saveExperimentBest">Keep the best N checkpoints of the experiment.</param>
    /// <param name="saveTrialBest">Keep the best N checkpoints of each trial.</param>
    /// <param name="saveTrialLatest">Keep the latest N checkpoints of each trial.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The checkpoints that would be deleted.</returns>
    /// <exception cref="DeterminantApiException">400 for a negative count, 404 for an unknown experiment.</exception>
    public async Task<IReadOnlyList<Checkpoint>> PreviewGcAsync(
        int? saveExperimentBest, int? saveTrialBest, int? saveTrialLatest, CancellationToken cancellationToken = default)
    {
        var path = new StringBuilder($"api/v1/experiments/{DeterminantClient.Id(Id)}/preview_gc");
        var separator = '?';
        foreach (var (name, value) in new[] { ("save_experiment_best", saveExperimentBest), ("save_trial_best", saveTrialBest), ("save_trial_latest", saveTrialLatest) })
        {
            if (value is { } v)
            {
                path.Append(separator).Append(name).Append('=').Append(DeterminantClient.Id(v));
                separator = '&';
            }
        }
        var response = await _client.Api.GetAsync(path.ToString(), ApiJsonContext.Default.PreviewGcResponse, cancellationToken).ConfigureAwait(false);
        return response.Checkpoints.Select(c => new Checkpoint(_client, c)).ToList();
    }

    /// <summary>
    /// Stores a new checkpoint GC policy in the experiment's <c>checkpoint_storage</c>; a terminal experiment is collected with
    /// it at once, a running one when it ends. A null count keeps the current one.
    /// </summary>
    /// <param name="saveExperimentBest">Keep the best N checkpoints of the experiment.</param>
    /// <param name="saveTrialBest">Keep the best N checkpoints of each trial.</param>
    /// <param name="saveTrialLatest">Keep the latest N checkpoints of each trial.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>This experiment, read again.</returns>
    /// <exception cref="DeterminantApiException">400 for a negative count, 403 for another user's experiment, 404 for an unknown one.</exception>
    public async Task<Experiment> SetGcPolicyAsync(int? saveExperimentBest, int? saveTrialBest, int? saveTrialLatest, CancellationToken cancellationToken = default)
    {
        var request = new PatchExperimentRequest(new CheckpointStoragePatch(saveExperimentBest, saveTrialBest, saveTrialLatest));
        await _client.Api.SendAsync(HttpMethod.Patch, $"api/v1/experiments/{DeterminantClient.Id(Id)}", request,
            ApiJsonContext.Default.PatchExperimentRequest, cancellationToken).ConfigureAwait(false);
        return await RefreshAsync(cancellationToken).ConfigureAwait(false);
    }
}
