using System.Security.Claims;
using Determinant.Master.Auth;
using Determinant.Master.Data;
using Determinant.Master.Errors;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Auth;

/// <summary>
/// Who may touch a trial on the Core API: an allocation token only its own trial; a user any trial to read, and only
/// the trials of their own experiments (or any, for admins) to write.
/// </summary>
internal static class TrialAccess
{
    public static async Task<int> RequireAsync(ClaimsPrincipal principal, int trialId, MasterDbContext db, bool write, CancellationToken cancellationToken)
    {
        if (principal.IsAllocation())
        {
            if (principal.GetAllocationTrialId() != trialId)
                throw new ForbiddenException($"this allocation token is not valid for trial {trialId}");
        }
        var row = await db.Trials.AsNoTracking().Where(t => t.Id == trialId)
            .Select(t => new { t.ExperimentId, t.Experiment!.OwnerId }).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException($"trial {trialId} not found");
        if (write && principal.IsUser())
            principal.RequireOwnerOrAdmin(row.OwnerId);
        return row.ExperimentId;
    }

    /// <summary>The allocation a caller reports for: its own with an allocation token; for a user, the trial's latest.</summary>
    public static string? AllocationId(ClaimsPrincipal principal) => principal.FindFirstValue(MasterClaims.AllocationId);

    public static void RequireAllocation(ClaimsPrincipal principal, string allocationId)
    {
        if (principal.IsAllocation() && AllocationId(principal) != allocationId)
            throw new ForbiddenException($"this allocation token is not valid for allocation {allocationId}");
    }
}
