using Determinant.Master.Domain;
using Determinant.Master.Controller;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Master.Errors;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.WebUi;

/// <summary>
/// <c>GET /api/v1/webui/experiment-summaries?ids=1,2,…</c>: the columns of the web UI's experiment list that the list
/// route does not carry — searcher metric, its best value so far, checkpoint count and size — for one page of rows.
/// </summary>
internal static class ExperimentSummaries
{
    public const int MaxIds = 1000;

    public sealed record Summary(int Id, string SearcherMetric, bool SmallerIsBetter, double? BestMetric, int CheckpointCount, long CheckpointSize);

    public static void Map(IEndpointRouteBuilder api) => api.MapGet("/webui/experiment-summaries", GetAsync).WithTags("Web UI");

    internal static async Task<IResult> GetAsync(string? ids, MasterDbContext db, ExperimentConfigCache configs, CancellationToken cancellationToken)
    {
        var list = ParseIds(ids);
        var summaries = await SummariesAsync(list, db, configs, cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(new Dictionary<string, List<Summary>> { ["summaries"] = summaries });
    }

    /// <summary>The <c>ids</c> parameter: comma-separated experiment ids, at most <see cref="MaxIds"/>.</summary>
    internal static List<int> ParseIds(string? ids)
    {
        var list = new List<int>();
        foreach (var part in (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            list.Add(int.TryParse(part, System.Globalization.CultureInfo.InvariantCulture, out var id) && id > 0
                ? id : throw new BadRequestException($"ids: '{part}' is not an experiment id (a positive integer)"));
        if (list.Count > MaxIds)
            throw new BadRequestException($"ids: at most {MaxIds} experiments per request, got {list.Count}");
        return list;
    }

    /// <summary>The summaries of these experiments (those that exist), by id.</summary>
    internal static async Task<List<Summary>> SummariesAsync(List<int> list, MasterDbContext db, ExperimentConfigCache configs, CancellationToken cancellationToken)
    {
        var experiments = await db.Experiments.AsNoTracking().Where(e => list.Contains(e.Id)).Select(e => new { e.Id, e.ConfigJson })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var metrics = await db.Metrics.AsNoTracking()
            .Where(m => m.Group == MetricReportEntity.Validation && m.SearcherMetric != null)
            .Join(db.Trials.Where(t => list.Contains(t.ExperimentId)), m => m.TrialId, t => t.Id, (m, t) => new { t.ExperimentId, m.SearcherMetric })
            .GroupBy(x => x.ExperimentId)
            .Select(g => new { ExperimentId = g.Key, Min = g.Min(x => x.SearcherMetric), Max = g.Max(x => x.SearcherMetric) })
            .ToDictionaryAsync(x => x.ExperimentId, cancellationToken).ConfigureAwait(false);
        var checkpoints = await db.Checkpoints.AsNoTracking()
            .Where(c => c.State != Protocol.Api.CheckpointState.Deleted)
            .Join(db.Trials.Where(t => list.Contains(t.ExperimentId)), c => c.TrialId, t => t.Id, (c, t) => new { t.ExperimentId, c.Size })
            .GroupBy(x => x.ExperimentId)
            .Select(g => new { ExperimentId = g.Key, Count = g.Count(), Size = g.Sum(x => x.Size) })
            .ToDictionaryAsync(x => x.ExperimentId, cancellationToken).ConfigureAwait(false);
        return experiments.Select(e =>
        {
            var searcher = configs.Get(e.Id, e.ConfigJson).Searcher;
            var best = metrics.GetValueOrDefault(e.Id);
            var cp = checkpoints.GetValueOrDefault(e.Id);
            return new Summary(e.Id, searcher.Metric, searcher.SmallerIsBetter, searcher.SmallerIsBetter ? best?.Min : best?.Max, cp?.Count ?? 0, cp?.Size ?? 0);
        }).OrderBy(s => s.Id).ToList();
    }
}
