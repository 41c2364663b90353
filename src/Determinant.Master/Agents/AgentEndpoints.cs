using System.Security.Claims;
using Determinant.Master.Configuration;
using Determinant.Master.Errors;
using Determinant.Master.Auth;
using Determinant.Master.ResourceManagers;
using Determinant.Protocol.Agent;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Determinant.Master.Agents;

/// <summary>The agent protocol's routes (docs/agent-protocol.md), for agents' credentials, each acting only as its own agent.</summary>
internal static class AgentEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var agents = api.MapGroup("/agents").WithTags("Agents");
        var protocol = agents.MapGroup("").RequireAuthorization(MasterClaims.AgentPolicy);
        protocol.MapPost("/register", (RegisterAgentRequest request, ClaimsPrincipal principal, AgentRegistration registration, CancellationToken ct) =>
        {
            principal.RequireAgent(request.AgentId);
            return registration.RegisterAsync(request, ct);
        });
        protocol.MapGet("/{agentId}/commands", PollAsync);
        protocol.MapPost("/{agentId}/allocations/{allocationId}/events",
            (string agentId, string allocationId, AllocationEvent body, ClaimsPrincipal principal, AgentRegistry registry, AllocationEvents events, CancellationToken ct) =>
            {
                RequirePlacedOn(principal, registry, agentId, allocationId);
                return events.HandleAsync(agentId, allocationId, body, ct);
            });
        protocol.MapGet("/{agentId}/allocations/{allocationId}/model_def", ModelDefinitionAsync);
        AgentCredentialEndpoints.Map(agents);
    }

    /// <summary>
    /// An agent acts only as itself, and only on allocations placed on it: a credential of one agent cannot end, or read
    /// the model definition of, another agent's allocation. An allocation not placed anywhere (the master restarted and
    /// no agent has listed it yet) has no agent to check against.
    /// </summary>
    private static void RequirePlacedOn(ClaimsPrincipal principal, AgentRegistry registry, string agentId, string allocationId)
    {
        principal.RequireAgent(agentId);
        if (registry.IsPlacedElsewhere(allocationId, agentId))
            throw new ForbiddenException($"allocation {allocationId} is not placed on agent '{agentId}'");
    }

    internal static async Task<IResult> PollAsync(
        string agentId, ClaimsPrincipal principal, AgentRegistry registry, IOptions<MasterOptions> options, TimeProvider time, CancellationToken cancellationToken,
        long after = 0, [FromQuery(Name = "timeout_seconds")] int timeoutSeconds = 0)
    {
        principal.RequireAgent(agentId);
        if (registry.Find(agentId) is not { } agent)
            return AgentNotFound(agentId);
        var timeout = TimeSpan.FromSeconds(Math.Clamp(timeoutSeconds, 0, options.Value.AgentHeartbeatSeconds * 2));
        registry.Heartbeat(agent, time.GetUtcNow().UtcDateTime, +1);
        try
        {
            var (commands, changed) = agent.Commands.Take(after);
            if (commands.Count == 0 && timeout > TimeSpan.Zero)
            {
                try
                {
                    await changed.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // Nothing came: an empty answer.
                }
                (commands, _) = agent.Commands.Take(after);
            }
            // An agent dropped while it waited (lost, or replaced by a new registration) must register again.
            return registry.Find(agentId) != agent ? AgentNotFound(agentId) : TypedResults.Json(new AgentCommandsResponse(commands), AgentJsonContext.Default.AgentCommandsResponse);
        }
        finally
        {
            registry.Heartbeat(agent, time.GetUtcNow().UtcDateTime, -1);
        }
    }

    internal static async Task<IResult> ModelDefinitionAsync(
        string agentId, string allocationId, ClaimsPrincipal principal, AgentRegistry registry, IAllocationEvents events, CancellationToken cancellationToken)
    {
        principal.RequireAgent(agentId);
        if (registry.PlacementOf(allocationId)?.ShareOn(agentId) is null)
            throw new ForbiddenException($"allocation {allocationId} is not placed on agent '{agentId}'");
        var archive = await events.ArchiveAsync(allocationId, cancellationToken).ConfigureAwait(false);
        return archive is null
            ? TypedResults.Problem($"allocation {allocationId} has no model definition", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.File(archive, "application/gzip", "model_def.tar.gz");
    }

    private static ProblemHttpResult AgentNotFound(string agentId) =>
        TypedResults.Problem($"agent {agentId} is not registered; register again", statusCode: StatusCodes.Status404NotFound);
}
