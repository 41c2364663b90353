using Determinant.Master.Data;
using Determinant.Master.Domain;
using Determinant.Master.Errors;
using Determinant.Master.Tasks;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Trials;

/// <summary><c>GET /api/v1/trials/{id}/logs</c>: the trial task's log lines (<see cref="TaskLogStream"/>); with follow, until the trial ends.</summary>
internal static class TrialLogStream
{
    internal static async Task StreamAsync(int id, HttpContext http, MasterDbContext db, TimeProvider time,
        CancellationToken cancellationToken, bool follow = false, int limit = 0)
    {
        var taskId = await db.Trials.AsNoTracking().Where(t => t.Id == id).Select(t => t.TaskId)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false) ?? throw new NotFoundException($"trial {id} not found");
        await TaskLogStream.StreamAsync(taskId, ct => EndedAsync(db, id, ct), http, db, time, follow, limit, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<bool> EndedAsync(MasterDbContext db, int trialId, CancellationToken cancellationToken)
    {
        var state = await db.Trials.AsNoTracking().Where(t => t.Id == trialId).Select(t => t.State).FirstAsync(cancellationToken).ConfigureAwait(false);
        return States.IsTerminal(state);
    }
}
