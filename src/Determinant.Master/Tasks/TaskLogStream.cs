using System.Globalization;
using System.Text.Json;
using Determinant.Master.Data.Entities;
using Determinant.Master.Data;
using Determinant.Master.Errors;
using Determinant.Protocol.Api;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Tasks;

/// <summary>
/// A task's log lines as NDJSON <c>{"result": …}</c>, paged by id; with follow, until the task ends. The filters of
/// <see cref="TrialLogFilter"/> come from the query string and are applied in the database.
/// </summary>
internal static class TaskLogStream
{
    private const int PageSize = 500;
    private static readonly TimeSpan FollowInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Streams the lines of <paramref name="taskId"/> that pass the query's filters into <paramref name="http"/>'s response.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="ended">Whether the task has ended (a follow stops then).</param>
    /// <param name="http">The request (filters in its query) and its response.</param>
    /// <param name="db">The database.</param>
    /// <param name="time">The clock of the follow's pauses.</param>
    /// <param name="follow">Keep reading until the task ended.</param>
    /// <param name="limit">At most this many lines; 0 for all.</param>
    /// <param name="cancellationToken">Stops the stream.</param>
    internal static async Task StreamAsync(string taskId, Func<CancellationToken, Task<bool>> ended, HttpContext http, MasterDbContext db,
        TimeProvider time, bool follow, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ended);
        ArgumentNullException.ThrowIfNull(http);
        var filtered = Filter(db.TaskLogs.AsNoTracking().Where(l => l.TaskId == taskId), ParseFilter(http.Request.Query));
        http.Response.ContentType = "application/x-ndjson";
        long after = 0;
        var sent = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var take = limit > 0 ? Math.Min(PageSize, limit - sent) : PageSize;
            var page = take <= 0 ? [] : await filtered.Where(l => l.Id > after).OrderBy(l => l.Id)
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
            if (!follow || (limit > 0 && sent >= limit) || await ended(cancellationToken).ConfigureAwait(false))
                return;
            await Task.Delay(FollowInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <exception cref="BadRequestException">A rank that is not an integer or a timestamp that is not RFC 3339; the message names the parameter.</exception>
    internal static TrialLogFilter ParseFilter(IQueryCollection query)
    {
        List<string> Values(string name) => [.. query[name].Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim())];
        DateTimeOffset? Time(string name) => Values(name) switch
        {
            [] => null,
            [var text] when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) => at,
            var other => throw new BadRequestException($"{name}: '{string.Join(",", other)}' is not one RFC 3339 timestamp"),
        };
        var ranks = Values("rankIds").Select(v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var rank)
            ? rank : throw new BadRequestException($"rankIds: '{v}' is not an integer")).ToList();
        return new TrialLogFilter(ranks, Values("agentIds"), Values("containerIds"), [.. Values("levels").Select(TrialLogFilter.NormalizeLevel)],
            Values("stdtypes"), Values("sources"), Time("timestampBefore"), Time("timestampAfter"));
    }

    private static IQueryable<TaskLogEntity> Filter(IQueryable<TaskLogEntity> logs, TrialLogFilter filter)
    {
        if (filter.RankIds is { Count: > 0 } ranks)
            logs = logs.Where(l => l.RankId != null && ranks.Contains(l.RankId.Value));
        if (filter.AgentIds is { Count: > 0 } agents)
            logs = logs.Where(l => l.AgentId != null && agents.Contains(l.AgentId));
        if (filter.ContainerIds is { Count: > 0 } containers)
            logs = logs.Where(l => l.ContainerId != null && containers.Contains(l.ContainerId));
        if (filter.Levels is { Count: > 0 } levels)
            logs = logs.Where(l => l.Level != null && levels.Contains(l.Level));
        if (filter.Stdtypes is { Count: > 0 } stdtypes)
            logs = logs.Where(l => l.StdType != null && stdtypes.Contains(l.StdType));
        if (filter.Sources is { Count: > 0 } sources)
            logs = logs.Where(l => l.Source != null && sources.Contains(l.Source));
        if (filter.TimestampBefore is { } before)
        {
            var instant = before.UtcDateTime;
            logs = logs.Where(l => l.Timestamp < instant);
        }
        if (filter.TimestampAfter is { } after)
        {
            var instant = after.UtcDateTime;
            logs = logs.Where(l => l.Timestamp > instant);
        }
        return logs;
    }
}
