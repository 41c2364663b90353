using Determinant.Master.Auth;
using System.Security.Claims;
using Determinant.Master.Controller;
using Determinant.Master.Data;
using Determinant.Master.Errors;
using Determinant.Protocol.CoreApi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Tasks;

/// <summary>The stop flag of an allocation: a long-poll that answers as soon as it is raised, and its acknowledgement.</summary>
internal static class AllocationEndpoints
{
    private const int MaxPollSeconds = 600;

    public static void Map(IEndpointRouteBuilder core)
    {
        var group = core.MapGroup("/allocations/{allocationId}/signals").WithTags("Core API");
        group.MapGet("/preemption", PreemptionAsync);
        group.MapPost("/ack_preemption", AckAsync);
    }

    internal static async Task<PreemptionSignalResponse> PreemptionAsync(string allocationId, ClaimsPrincipal user, IServiceScopeFactory scopes,
        PreemptionSignals signals, TimeProvider time, MasterDbContext db, CancellationToken cancellationToken,
        [FromQuery(Name = "timeout_seconds")] int timeoutSeconds = 0)
    {
        await TrialAccess.RequireAllocationAsync(user, allocationId, db, cancellationToken).ConfigureAwait(false);
        // Taken before reading the flag, so that a raise in between still wakes this poll.
        var wait = signals.WaitHandle(allocationId);
        var raised = await IsRaisedAsync(scopes, allocationId, cancellationToken).ConfigureAwait(false);
        if (raised || timeoutSeconds <= 0)
            return new PreemptionSignalResponse(raised);
        try
        {
            await wait.WaitAsync(TimeSpan.FromSeconds(Math.Min(timeoutSeconds, MaxPollSeconds)), time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // No signal within the poll; answer with the flag as it is.
        }
        return new PreemptionSignalResponse(await IsRaisedAsync(scopes, allocationId, cancellationToken).ConfigureAwait(false));
    }

    internal static async Task<IResult> AckAsync(string allocationId, ClaimsPrincipal user, MasterDbContext db, CancellationToken cancellationToken)
    {
        await TrialAccess.RequireAllocationAsync(user, allocationId, db, cancellationToken).ConfigureAwait(false);
        await db.Allocations.Where(a => a.Id == allocationId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Acked, true), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new Dictionary<string, string>());
    }

    /// <summary>Reads the committed flag with a fresh context, so a long-poll never sees a stale tracked row.</summary>
    private static async Task<bool> IsRaisedAsync(IServiceScopeFactory scopes, string allocationId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
        var flag = await db.Allocations.AsNoTracking().Where(a => a.Id == allocationId).Select(a => (bool?)a.Preempt)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return flag ?? throw new NotFoundException($"allocation {allocationId} not found");
    }
}
