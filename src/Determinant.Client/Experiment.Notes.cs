using Determinant.Protocol.Api;

namespace Determinant.Client;

public sealed partial class Experiment
{
    /// <summary>The experiment's notes as of the last read; null when it has none.</summary>
    public string? Notes => Info.Notes;

    /// <summary>Replaces the experiment's notes (plain text, at most 64 KiB of UTF-8); an empty string clears them.</summary>
    /// <param name="notes">The new notes.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>This experiment, read again.</returns>
    /// <exception cref="DeterminantApiException">400 for notes over 64 KiB, 403 for another user's experiment, 404 for an unknown one.</exception>
    public async Task<Experiment> SetNotesAsync(string notes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notes);
        await _client.Api.SendAsync(HttpMethod.Patch, $"api/v1/experiments/{DeterminantClient.Id(Id)}", new PatchExperimentRequest(Notes: notes),
            ApiJsonContext.Default.PatchExperimentRequest, cancellationToken).ConfigureAwait(false);
        return await RefreshAsync(cancellationToken).ConfigureAwait(false);
    }
}
