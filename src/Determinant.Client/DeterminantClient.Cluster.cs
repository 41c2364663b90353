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

    /// <summary>
    /// Issues a credential for one agent (admins only): the agent sends it to register and may then act only as
    /// <paramref name="agentId"/>. Any earlier credential of that agent stops working.
    /// </summary>
    /// <param name="agentId">The agent's id: 1 to 128 letters, digits, '.', '_' and '-'.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The credential, shown this once (the master keeps only its hash).</returns>
    /// <exception cref="DeterminantApiException">403 for a non-admin, 400 for a bad id.</exception>
    public async Task<string> CreateAgentCredentialAsync(string agentId, CancellationToken cancellationToken = default) =>
        (await _api.PostAsync($"api/v1/agents/{Uri.EscapeDataString(agentId)}/credential",
            ApiJsonContext.Default.AgentCredentialResponse, cancellationToken).ConfigureAwait(false)).Credential;

    /// <summary>Revokes an agent's credential (admins only); the agent is disconnected and its allocations are lost.</summary>
    /// <param name="agentId">The agent.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the credential is revoked.</returns>
    /// <exception cref="DeterminantApiException">403 for a non-admin, 404 when the agent has no credential.</exception>
    public Task RevokeAgentCredentialAsync(string agentId, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Delete, $"api/v1/agents/{Uri.EscapeDataString(agentId)}/credential", cancellationToken);
}
