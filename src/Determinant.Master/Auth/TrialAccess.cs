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

    /// <summary>An allocation token reports only for its own allocation (a user's write rights are the trial's, checked apart).</summary>
    public static void RequireOwnAllocation(ClaimsPrincipal principal, string allocationId)
    {
        if (principal.IsAllocation() && AllocationId(principal) != allocationId)
            throw new ForbiddenException($"this allocation token is not valid for allocation {allocationId}");
    }

    /// <summary>
    /// Who may use an allocation's signals and rendezvous: its own allocation token; a user only when the allocation's task
    /// is theirs (or they are an admin), so nobody else reads its signals or joins its gang.
    /// </summary>
    /// <exception cref="ForbiddenException">Another allocation's token, or a user who neither owns the task nor is an admin.</exception>
    /// <exception cref="NotFoundException">A user asking about an allocation that does not exist.</exception>
    public static async Task RequireAllocationAsync(ClaimsPrincipal principal, string allocationId, MasterDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (principal.IsAllocation())
        {
            RequireOwnAllocation(principal, allocationId);
            return;
        }
        var owner = await db.Allocations.AsNoTracking().Where(a => a.Id == allocationId).Join(db.Tasks, a => a.TaskId, t => t.Id, (a, t) => (int?)t.OwnerId)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false) ?? throw new NotFoundException($"allocation {allocationId} not found");
        principal.RequireOwnerOrAdmin(owner, "task");
    }

    /// <summary>
    /// Who may write log lines into tasks: an allocation token only its own task's (and its own allocation's) lines; a user
    /// only lines of tasks they own (or any, for an admin). An agent ships for the allocations placed on it (checked by the log route against the placements).
    /// </summary>
    public static async Task RequireTaskLogWriterAsync(
        ClaimsPrincipal principal, IReadOnlyCollection<(string TaskId, string? AllocationId)> lines, MasterDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(db);
        if (principal.IsAllocation())
        {
            var taskId = principal.FindFirstValue(MasterClaims.TaskId);
            var allocationId = AllocationId(principal);
            if (lines.Any(l => l.TaskId != taskId || (l.AllocationId is { } a && a != allocationId)))
                throw new ForbiddenException($"this allocation token may only send logs of task {taskId}, allocation {allocationId}");
            return;
        }
        if (!principal.IsUser() || principal.IsAdmin())
            return;
        var me = principal.GetUserId();
        var tasks = lines.Select(l => l.TaskId).Distinct(StringComparer.Ordinal).ToList();
        var mine = await db.Tasks.AsNoTracking().Where(t => tasks.Contains(t.Id) && t.OwnerId == me).CountAsync(cancellationToken).ConfigureAwait(false);
        if (mine != tasks.Count)
            throw new ForbiddenException("a user may only send logs of their own tasks");
    }
}
