using System.Security.Claims;
using Determinant.Master.Auth;
using Determinant.Master.Errors;
using Determinant.Protocol.Api;

namespace Determinant.Master.Agents;

/// <summary>
/// Admins issue and revoke agents' credentials (<c>det agent credential create|revoke AGENT_ID</c>). Revoking one
/// disconnects its agent at once: its allocations are lost and their trials resume elsewhere.
/// </summary>
internal static partial class AgentCredentialEndpoints
{
    public static void Map(RouteGroupBuilder agents)
    {
        var admin = agents.MapGroup("/{agentId}/credential").RequireAuthorization(MasterClaims.UserPolicy);
        admin.MapPost("", IssueAsync);
        admin.MapDelete("", RevokeAsync);
    }

    internal static async Task<AgentCredentialResponse> IssueAsync(
        string agentId, ClaimsPrincipal principal, AgentCredentials credentials, ILogger<AgentCredentials> logger, CancellationToken cancellationToken)
    {
        RequireAdmin(principal);
        var credential = await credentials.IssueAsync(agentId, principal.GetUserId(), cancellationToken).ConfigureAwait(false);
        LogIssued(logger, agentId, principal.Identity?.Name);
        return new AgentCredentialResponse(agentId, credential);
    }

    internal static async Task<IResult> RevokeAsync(
        string agentId, ClaimsPrincipal principal, AgentCredentials credentials, AgentRegistry registry, AllocationExits exits,
        ILogger<AgentCredentials> logger, CancellationToken cancellationToken)
    {
        RequireAdmin(principal);
        if (!await credentials.RevokeAsync(agentId, cancellationToken).ConfigureAwait(false))
            throw new NotFoundException($"agent '{agentId}' has no credential");
        var lost = registry.Remove(agentId);
        LogRevoked(logger, agentId, principal.Identity?.Name, lost.Count);
        foreach (var placement in lost)
            await exits.LostAsync(placement, cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static void RequireAdmin(ClaimsPrincipal principal)
    {
        if (!principal.IsAdmin())
            throw new ForbiddenException("only admins may issue or revoke agent credentials");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A credential for agent {AgentId} was issued by {User}")]
    private static partial void LogIssued(ILogger logger, string agentId, string? user);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The credential of agent {AgentId} was revoked by {User}; its {Allocations} allocations are lost")]
    private static partial void LogRevoked(ILogger logger, string agentId, string? user, int allocations);
}
