using Determinant.Master.Domain;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Determinant.Master.ResourceManagers;
using Determinant.Master.Controller;
using Determinant.Master.Data;
using Determinant.Master.Experiments;
using Determinant.Master.Live;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.WebUi;

/// <summary>
/// <c>GET /api/v1/experiments/live?ids=1,2,…</c> (text/event-stream): what the web UI's experiment tables show, pushed when
/// it changes, so that the list and the dashboard never poll. Every signed-in user may list every experiment, so the
/// stream is not narrowed further than the list route is. Events:
/// <list type="bullet">
/// <item><c>rows</c>: an array of the watched experiments (<c>ids</c>) whose state, progress, trial count, archived flag,
/// end time, best searcher metric or checkpoints changed since the last event (all of them first); an experiment gone
/// comes as <c>{"id": N, "state": "STATE_DELETED"}</c>.</item>
/// <item><c>overview</c>: <c>latestId</c> (the newest experiment), <c>total</c> and <c>active</c> (experiment counts) and the
/// cluster's <c>slotsUsed</c>, <c>slotsTotal</c> and <c>agents</c>; sent first and when any of them changes. A page reloads its
/// page of rows when <c>latestId</c> or <c>total</c> moved (a new or deleted experiment).</item>
/// </list>
/// The master compares every <see cref="PollInterval"/>; a comment line every 15 s keeps proxies from closing the stream.
/// </summary>
internal static class ExperimentListLive
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public static void Map(IEndpointRouteBuilder api) => api.MapGet("/experiments/live", StreamAsync).WithTags("Web UI");

    internal static async Task StreamAsync(string? ids, HttpContext context, MasterDbContext db, ExperimentConfigCache configs, IResourceManager resources,
        CancellationToken cancellationToken)
    {
        var watched = ExperimentSummaries.ParseIds(ids);
        var stream = await EventStream.OpenAsync(context.Response, cancellationToken).ConfigureAwait(false);
        var sent = new Dictionary<int, string>();
        string? lastOverview = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var overview = await OverviewJsonAsync(db, resources, cancellationToken).ConfigureAwait(false);
                if (overview != lastOverview)
                {
                    await stream.WriteAsync("overview", overview, cancellationToken).ConfigureAwait(false);
                    lastOverview = overview;
                }
                if (watched.Count > 0)
                {
                    var rows = await RowsAsync(watched, db, configs, cancellationToken).ConfigureAwait(false);
                    var changed = rows.Where(r => !sent.TryGetValue(r.Id, out var before) || before != r.Json).ToList();
                    if (changed.Count > 0)
                    {
                        await stream.WriteAsync("rows", "[" + string.Join(",", changed.Select(r => r.Json)) + "]", cancellationToken).ConfigureAwait(false);
                        foreach (var (id, json) in changed)
                            sent[id] = json;
                    }
                }
                await stream.HeartbeatIfDueAsync(cancellationToken).ConfigureAwait(false);
                db.ChangeTracker.Clear();
                await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The page went away.
        }
    }

    /// <summary>One JSON object per watched experiment (in id order), as the <c>rows</c> event carries it.</summary>
    internal static async Task<List<(int Id, string Json)>> RowsAsync(List<int> watched, MasterDbContext db, ExperimentConfigCache configs,
        CancellationToken cancellationToken)
    {
        var experiments = await db.Experiments.AsNoTracking()
            .Where(e => watched.Contains(e.Id) && e.State != Protocol.Api.ExperimentState.Deleted)
            .Select(e => new { e.Id, e.State, e.Progress, e.Archived, e.EndTime, Trials = e.Trials.Count })
            .ToDictionaryAsync(e => e.Id, cancellationToken).ConfigureAwait(false);
        var summaries = (await ExperimentSummaries.SummariesAsync([.. experiments.Keys], db, configs, cancellationToken).ConfigureAwait(false))
            .ToDictionary(s => s.Id);
        var rows = new List<(int, string)>();
        foreach (var id in watched.Distinct().Order())
        {
            using var buffer = new MemoryStream();
            await using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteNumber("id", id);
                if (!experiments.TryGetValue(id, out var e))
                {
                    json.WriteString("state", "STATE_DELETED");
                }
                else
                {
                    json.WriteString("state", e.State.ToWire());
                    json.WriteNumber("progress", e.Progress);
                    json.WriteBoolean("archived", e.Archived);
                    json.WriteNumber("numTrials", e.Trials);
                    if (e.EndTime is { } end)
                        json.WriteString("endTime", DateTime.SpecifyKind(end, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture));
                    else
                        json.WriteNull("endTime");
                    var summary = summaries.GetValueOrDefault(id);
                    json.WritePropertyName("bestMetric");
                    if (summary?.BestMetric is { } best && double.IsFinite(best))
                        json.WriteNumberValue(best);
                    else
                        json.WriteNullValue();
                    json.WriteNumber("checkpointCount", summary?.CheckpointCount ?? 0);
                    json.WriteNumber("checkpointSize", summary?.CheckpointSize ?? 0);
                }
                json.WriteEndObject();
            }
            rows.Add((id, Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length)));
        }
        return rows;
    }

    private static async Task<string> OverviewJsonAsync(MasterDbContext db, IResourceManager resources, CancellationToken cancellationToken)
    {
        var visible = db.Experiments.AsNoTracking().Where(e => e.State != Protocol.Api.ExperimentState.Deleted);
        var latest = await visible.MaxAsync(e => (int?)e.Id, cancellationToken).ConfigureAwait(false);
        var total = await visible.CountAsync(cancellationToken).ConfigureAwait(false);
        var active = await visible.CountAsync(e => e.State == Protocol.Api.ExperimentState.Active, cancellationToken).ConfigureAwait(false);
        var pools = resources.Summary().Pools;
        return JsonSerializer.Serialize(new Dictionary<string, int>
        {
            ["latestId"] = latest ?? 0,
            ["total"] = total,
            ["active"] = active,
            ["slotsUsed"] = pools.Sum(p => p.SlotsUsed),
            ["slotsTotal"] = pools.Sum(p => p.Slots),
            ["agents"] = pools.Sum(p => p.Nodes),
        });
    }

}
