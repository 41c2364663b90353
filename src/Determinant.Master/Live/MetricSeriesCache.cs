using System.Collections.Concurrent;
using Determinant.Master.CoreApi;
using Determinant.Master.Data;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Live;

/// <summary>
/// Learning curves in memory: each (trial, group) read from the database once, on first use, then kept current by the
/// metric-report signal. 100 trials × 5,000 points of a few metrics are a few MB.
/// </summary>
internal sealed class MetricSeriesCache(IServiceScopeFactory scopes)
{
    // TODO(web-ui): evict series of experiments that nobody has looked at for a while.
    private readonly ConcurrentDictionary<(int TrialId, string Group), MetricSeries> _series = new();

    /// <summary>A committed report: applied when the series is held (a series not held yet reads it from the database later).</summary>
    public void Apply(StoredMetricReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (_series.TryGetValue((report.TrialId, report.Group), out var series))
            series.Upsert(report.StepsCompleted, report.MetricsJson);
    }

    /// <summary>The series of these trials, each read from the database when not held yet (in one query for all missing).</summary>
    public async Task<Dictionary<int, MetricSeries>> GetAsync(IReadOnlyCollection<int> trialIds, string group, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trialIds);
        var result = new Dictionary<int, MetricSeries>();
        var missing = new List<(int TrialId, MetricSeries Series)>();
        var waits = new List<Task>();
        foreach (var id in trialIds)
        {
            var created = new MetricSeries();
            var series = _series.GetOrAdd((id, group), created);
            result[id] = series;
            if (ReferenceEquals(series, created))
                missing.Add((id, series));
            else
                waits.Add(series.WhenLoaded);
        }
        if (missing.Count > 0)
            waits.Add(LoadAsync(missing, group));
        await Task.WhenAll(waits).WaitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async Task LoadAsync(List<(int TrialId, MetricSeries Series)> missing, string group)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
            var ids = missing.Select(m => m.TrialId).ToList();
            var rows = await db.Metrics.AsNoTracking().Where(m => ids.Contains(m.TrialId) && m.Group == group)
                .OrderBy(m => m.TrialId).ThenBy(m => m.StepsCompleted)
                .Select(m => new { m.TrialId, m.StepsCompleted, m.MetricsJson })
                .ToListAsync(CancellationToken.None).ConfigureAwait(false);
            var byTrial = rows.GroupBy(r => r.TrialId).ToDictionary(g => g.Key, g => g.Select(r => (r.StepsCompleted, r.MetricsJson)).ToList());
            // Parsing the stored JSON is the bulk of the work: one trial per core.
            Parallel.ForEach(missing, m => m.Series.Load(byTrial.GetValueOrDefault(m.TrialId) ?? []));
        }
        catch (Exception e)
        {
            // Not held after all: the next request reads again.
            foreach (var (id, series) in missing)
            {
                _series.TryRemove(new KeyValuePair<(int, string), MetricSeries>((id, group), series));
                series.LoadFailed(e);
            }
            throw;
        }
    }
}
