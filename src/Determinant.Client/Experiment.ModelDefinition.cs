using Determinant.Protocol.Api;

namespace Determinant.Client;

public sealed partial class Experiment
{
    /// <summary>Downloads the experiment's model definition (the code it was submitted with) into the new directory <paramref name="path"/>.</summary>
    /// <remarks>
    /// The master stores the model definition as a tar.gz; it is extracted with the same checks as a checkpoint download
    /// (no absolute paths, no <c>..</c>, no links), into a temporary sibling directory that is renamed into place.
    /// </remarks>
    /// <param name="path">The directory to create; it must not exist yet.</param>
    /// <param name="cancellationToken">Cancels the download; nothing is left behind.</param>
    /// <returns>The full path of the directory.</returns>
    /// <exception cref="DeterminantApiException">The request failed (404 for an unknown experiment).</exception>
    /// <exception cref="InvalidDataException">The archive holds an unsafe entry or is not a tar.gz.</exception>
    /// <exception cref="IOException"><paramref name="path"/> already exists, or the files cannot be written.</exception>
    public async Task<string> DownloadModelDefinitionAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var response = await _client.Api.GetAsync($"api/v1/experiments/{DeterminantClient.Id(Id)}/model_def",
            ApiJsonContext.Default.ModelDefinitionResponse, cancellationToken).ConfigureAwait(false);
        byte[] archive;
        try
        {
            archive = Convert.FromBase64String(response.B64Tgz);
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"the model definition of experiment {Id} is not base64: {e.Message}", e);
        }
        return await CheckpointArchive.ExtractToNewDirectoryAsync(new MemoryStream(archive), path, $"model definition of experiment {Id}", cancellationToken)
            .ConfigureAwait(false);
    }
}
