using Determinant.Protocol.Api;

namespace Determinant.Client;

public sealed partial class DeterminantClient
{
    /// <summary>The agents connected to the master, with their slots.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The agents.</returns>
    /// <exception cref="DeterminantApiException">The request failed.</exception>
    public async Task<IReadOnlyList<AgentDto>> ListAgentsAsync(CancellationToken cancellationToken = default) =>
        (await _api.GetAsync("api/v1/agents", ApiJsonContext.Default.AgentsResponse, cancellationToken).ConfigureAwait(false)).Agents;
}
