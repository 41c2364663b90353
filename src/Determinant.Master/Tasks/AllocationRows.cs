using Determinant.Master.Auth;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Master.ResourceManagers;

namespace Determinant.Master.Tasks;

/// <summary>How an allocation row begins and ends, for the task owners that write it inside their own transactions.</summary>
internal static class AllocationRows
{
    /// <summary>Adds the task's allocation number <paramref name="runId"/> to <paramref name="db"/> (not yet saved) and issues its token.</summary>
    public static AllocationGrant Begin(
        MasterDbContext db, string taskId, int runId, AllocatedResources resources, DateTime now, out AllocationEntity allocation)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(resources);
        var token = TokenHasher.NewToken();
        allocation = new AllocationEntity
        {
            Id = IdOf(taskId, runId),
            TaskId = taskId,
            RunId = runId,
            State = AllocationState.Running,
            TokenHash = TokenHasher.Hash(token),
            StartTime = now,
            Slots = resources.Slots,
            ResourcePool = resources.Pool,
        };
        db.Allocations.Add(allocation);
        return new AllocationGrant(allocation.Id, taskId, runId, token);
    }

    /// <summary>The allocation's processes ended.</summary>
    public static void End(AllocationEntity allocation, AllocationExit exit, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(allocation);
        ArgumentNullException.ThrowIfNull(exit);
        allocation.State = AllocationState.Terminated;
        allocation.EndTime = now;
        allocation.ExitCode = exit.ExitCode;
    }

    /// <summary><c>&lt;task id&gt;.&lt;run id&gt;</c> (REFERENCE.md §1).</summary>
    public static string IdOf(string taskId, int runId) => $"{taskId}.{runId}";
}
