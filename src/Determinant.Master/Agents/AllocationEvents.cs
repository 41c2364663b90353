using Determinant.Master.Data;
using Determinant.Master.ResourceManagers;
using Determinant.Protocol.Agent;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Agents;

/// <summary>
/// <c>POST …/allocations/{id}/events</c>: STARTING and RUNNING update the allocation's display state; EXITED ends it.
/// Idempotent: a repeated or late event changes nothing twice. Unknown or given-up allocations answer 404.
/// </summary>
internal sealed class AllocationEvents(
    AgentRegistry registry, AllocationExits exits, IAllocationEvents events, AllocationTimeline timeline, MasterDbContext db, TimeProvider time)
{
    public async Task<IResult> HandleAsync(string agentId, string allocationId, AllocationEvent body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (registry.IsLost(allocationId))
            return NotFound(allocationId, "the master gave up on it when its agent was lost");
        timeline.Record(allocationId, body.State, time.GetUtcNow());
        if (body.State == AllocationStates.Exited)
        {
            return await exits.ExitedAsync(allocationId, body.ExitCode, cancellationToken, agentId).ConfigureAwait(false)
                ? Ok()
                : NotFound(allocationId, "it is unknown");
        }
        if (registry.PlacementOf(allocationId) is { } placement)
        {
            placement.State = body.State;
            // The chief's agent reports the ports it chose; the first is the task's service, on that agent's address.
            if (body.State == AllocationStates.Running && body.Ports is { Count: > 0 } ports && placement.AgentId == agentId)
            {
                placement.Ports = ports;
                var agent = registry.Find(agentId);
                var port = ports.Values.First();
                if (agent is not null)
                    await events.RunningAsync(allocationId, ServiceUri(agent.Address, port), cancellationToken).ConfigureAwait(false);
            }
            return Ok();
        }
        // Not placed: known from the database (the agent reports after a master restart) or unknown.
        return await db.Allocations.AnyAsync(a => a.Id == allocationId, cancellationToken).ConfigureAwait(false)
            ? Ok()
            : NotFound(allocationId, "it is unknown");
    }

    private static Uri ServiceUri(string address, int port) =>
        new UriBuilder(Uri.UriSchemeHttp, address.Contains(':', StringComparison.Ordinal) ? $"[{address}]" : address, port).Uri;

    private static Ok<Dictionary<string, string>> Ok() => TypedResults.Ok(new Dictionary<string, string>());

    private static ProblemHttpResult NotFound(string allocationId, string why) =>
        TypedResults.Problem($"allocation {allocationId}: {why}", statusCode: StatusCodes.Status404NotFound);
}
