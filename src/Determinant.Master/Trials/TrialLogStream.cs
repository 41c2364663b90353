using System.Text.Json;
using Determinant.Master.Data;
using Determinant.Master.Errors;
using Determinant.Master.Experiments;
using Determinant.Protocol.Api;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Trials;

/// <summary><c>GET /api/v1/trials/{id}/logs</c>: NDJSON lines <c>{"result": …}</c>, paged by id; with follow, until the trial ends.</summary>
internal static class TrialLogStream
{
    private const int PageSize = 500;
    private static readonly TimeSpan FollowInterval = TimeSpan.FromMilliseconds(250);

    internal static async Task StreamAsync(int id, HttpContext http, MasterDbContext db, TimeProvider time,
        CancellationToken cancellationToken, bool follow = false, int limit = 0)
    {
        var trial = await db.Trials.AsNoTracking().Where(t => t.Id == id).Select(t => new { t.ExperimentId, t.RequestId })
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false) ?? throw new NotFoundException($"trial {id} not found");
        var taskId = $"{trial.ExperimentId}.{trial.RequestId:D}";
        http.Response.ContentType = "application/x-ndjson";
        long after = 0;
        var sent = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var take = limit > 0 ? Math.Min(PageSize, limit - sent) : PageSize;
            var page = take <= 0 ? [] : await db.TaskLogs.AsNoTracking().Where(l => l.TaskId == taskId && l.Id > after).OrderBy(l => l.Id)
                .Take(take).ToListAsync(cancellationToken).ConfigureAwait(false);
            foreach (var l in page)
            {
                var line = new TrialLogLine(new TrialLogDto(l.Id, l.TaskId, l.AllocationId, l.Timestamp, l.Level, l.StdType, l.Source, l.RankId, l.Log));
                await JsonSerializer.SerializeAsync(http.Response.Body, line, ApiJsonContext.Default.TrialLogLine, cancellationToken).ConfigureAwait(false);
                await http.Response.Body.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
                after = l.Id;
            }
            sent += page.Count;
            await http.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (page.Count == take && take > 0)
                continue;
            if (!follow || (limit > 0 && sent >= limit) || await EndedAsync(db, id, cancellationToken).ConfigureAwait(false))
                return;
            await Task.Delay(FollowInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<bool> EndedAsync(MasterDbContext db, int trialId, CancellationToken cancellationToken)
    {
        var state = await db.Trials.AsNoTracking().Where(t => t.Id == trialId).Select(t => t.State).FirstAsync(cancellationToken).ConfigureAwait(false);
        return States.IsTerminal(state);
    }
}
