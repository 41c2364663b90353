using System.Collections.Concurrent;
using System.Text;
using Determinant.Master.CoreApi;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Determinant.Master.Live;

/// <summary>
/// Learning curves held in memory after they were first asked for, so that a page opened again (or another user's) is cut
/// from memory instead of the database: one column per (trial, group, metric) with every report's steps and value,
/// read in the background after the first, database-cut answer and then kept current by the metric-report signal.
/// Bounded: at most <see cref="MaxPoints"/> points in all (about 16 bytes each), the least recently read column going
/// first, and a column not read for <see cref="IdleExpiry"/> is dropped. A cut from a column equals the database's cut
/// (<see cref="MetricSampler"/>): the same report indexes, a report without the metric giving no point.
/// </summary>
internal sealed partial class MetricColumnCache(IServiceScopeFactory scopes, TimeProvider time, ILogger<MetricColumnCache> logger) : IDisposable
{
    /// <summary>The most points held in all: 4,000,000 × 16 bytes is 64 MB.</summary>
    public const long MaxPoints = 4_000_000;

    public static readonly TimeSpan IdleExpiry = TimeSpan.FromMinutes(10);

    /// <summary>A report of the group that did not carry the metric (a NaN payload no JSON number parses to).</summary>
    private static readonly double Missing = BitConverter.Int64BitsToDouble(0x7FF8_DEAD_0000_0001);

    private readonly ConcurrentDictionary<(int TrialId, string Group, string Metric), Column> _columns = new();

    /// <summary>The metrics held per (trial, group), so a report finds its columns without a scan (stale names are harmless).</summary>
    private readonly ConcurrentDictionary<(int TrialId, string Group), ConcurrentDictionary<string, byte>> _metricsOf = new();
    private readonly SemaphoreSlim _oneLoad = new(1, 1);
    private long _points;

    /// <summary>Points held now (for tests and the benchmark).</summary>
    public long Points => Interlocked.Read(ref _points);

    /// <summary>
    /// The cut of each trial's column when every one is held and loaded (and marks them read); null otherwise, after
    /// starting a background read of those not held — once <paramref name="readAfter"/> has completed, when given, so that
    /// the read does not compete with the request's own cut in the database for the cores.
    /// </summary>
    public Dictionary<int, (long[] Steps, double[] Values)>? TrySample(IReadOnlyCollection<int> trialIds, string group, string metric, int maxPoints,
        Task? readAfter = null)
    {
        ArgumentNullException.ThrowIfNull(trialIds);
        Trim();
        var now = time.GetUtcNow();
        var missing = new List<(int, Column)>();
        var all = true;
        byte[]? name = null;
        foreach (var id in trialIds)
        {
            if (!_columns.TryGetValue((id, group, metric), out var column))
            {
                var created = new Column(name ??= Encoding.UTF8.GetBytes(metric));
                column = _columns.GetOrAdd((id, group, metric), created);
                if (ReferenceEquals(column, created))
                {
                    missing.Add((id, column));
                    _metricsOf.GetOrAdd((id, group), _ => new(StringComparer.Ordinal)).TryAdd(metric, 0);
                }
            }
            column.LastRead = now;
            all &= column.Loaded;
        }
        if (missing.Count > 0)
            _ = Task.Run(async () =>
            {
                if (readAfter is not null)
                    await readAfter.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                await LoadAsync(missing, group, metric).ConfigureAwait(false);
            });
        if (!all)
            return null;
        var result = new Dictionary<int, (long[], double[])>(trialIds.Count);
        foreach (var id in trialIds)
            result[id] = _columns.TryGetValue((id, group, metric), out var column) ? column.Sample(maxPoints) : ([], []);
        return result;
    }

    /// <summary>
    /// Runs a request's lookups and the background read once, on an instance of its own and for a trial that does not
    /// exist, so that the first experiment page after a start finds this code compiled (<see cref="SamplerWarmUp"/>).
    /// </summary>
    /// <returns>Whether the read finished (false: it failed every time).</returns>
    internal static async Task<bool> WarmUpAsync(IServiceScopeFactory scopes, CancellationToken cancellationToken)
    {
        using var cache = new MetricColumnCache(scopes, TimeProvider.System, NullLogger<MetricColumnCache>.Instance);
        int[] none = [0];
        // The first call starts the read; a later one answers once it is done (a failed read is started again).
        var read = false;
        for (var tries = 0; tries < 100 && !read; tries++)
        {
            read = cache.TrySample(none, MetricReportEntity.Training, "loss", 2, Task.CompletedTask) is not null;
            if (!read)
                await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
        // A read holds the semaphore while it runs: taking it waits for one still running before the cache is disposed.
        await cache._oneLoad.WaitAsync(cancellationToken).ConfigureAwait(false);
        return read;
    }

    /// <summary>A committed report: applied to the held columns of its trial and group.</summary>
    public void Apply(StoredMetricReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (!_metricsOf.TryGetValue((report.TrialId, report.Group), out var metrics))
            return;
        foreach (var metric in metrics.Keys)
        {
            if (_columns.TryGetValue((report.TrialId, report.Group, metric), out var column))
                Interlocked.Add(ref _points, column.Upsert(report.StepsCompleted, report.MetricsJson));
        }
        if (Points > MaxPoints)
            Trim();
    }

    private async Task LoadAsync(List<(int TrialId, Column Column)> missing, string group, string metric)
    {
        // One background read at a time, so that reads of several pages do not crowd out the requests.
        await _oneLoad.WaitAsync().ConfigureAwait(false);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
            await db.Database.OpenConnectionAsync().ConfigureAwait(false);
            var connection = db.Database.GetDbConnection();
            foreach (var (trialId, column) in missing)
            {
                var rows = await MetricSampler.ReadWholeAsync(connection, trialId, group, column.Name, CancellationToken.None).ConfigureAwait(false);
                Interlocked.Add(ref _points, column.Load(rows));
            }
        }
        catch (Exception e)
        {
            // Not held after all: the next request cuts in the database and reads again.
            foreach (var (trialId, column) in missing)
            {
                if (_columns.TryRemove(new KeyValuePair<(int, string, string), Column>((trialId, group, metric), column)))
                    Interlocked.Add(ref _points, -column.Count);
            }
            LogLoadFailed(logger, group, metric, e);
        }
        finally
        {
            _oneLoad.Release();
        }
        Trim();
    }

    /// <summary>Drops idle columns, then the least recently read ones while more than <see cref="MaxPoints"/> are held.</summary>
    internal void Trim()
    {
        var now = time.GetUtcNow();
        foreach (var (key, column) in _columns)
        {
            if (column.Loaded && now - column.LastRead > IdleExpiry && _columns.TryRemove(new KeyValuePair<(int, string, string), Column>(key, column)))
                Interlocked.Add(ref _points, -column.Count);
        }
        if (Points <= MaxPoints)
            return;
        foreach (var (key, column) in _columns.Where(c => c.Value.Loaded).OrderBy(c => c.Value.LastRead).ToList())
        {
            if (Points <= MaxPoints)
                break;
            if (_columns.TryRemove(new KeyValuePair<(int, string, string), Column>(key, column)))
                Interlocked.Add(ref _points, -column.Count);
        }
    }

    public void Dispose() => _oneLoad.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the {Group} metric {Metric} into memory failed")]
    private static partial void LogLoadFailed(ILogger logger, string group, string metric, Exception exception);

    /// <summary>Every report of one trial and group in step order, with the metric's value or <see cref="Missing"/>.</summary>
    private sealed class Column(byte[] name)
    {
        /// <summary>The metric's name in UTF-8, as reports are parsed for it.</summary>
        public byte[] Name { get; } = name;

        private readonly Lock _lock = new();
        private readonly List<long> _steps = [];
        private readonly List<double> _values = [];
        private List<(long Steps, string Json)>? _pending = [];

        public DateTimeOffset LastRead { get; set; }

        public bool Loaded
        {
            get
            {
                lock (_lock)
                    return _pending is null;
            }
        }

        public int Count
        {
            get
            {
                lock (_lock)
                    return _steps.Count;
            }
        }

        /// <summary>The stored rows, then the reports that came while they were read; returns the points added.</summary>
        public int Load(List<(long Steps, double? Value)> rows)
        {
            lock (_lock)
            {
                foreach (var (s, v) in rows)
                {
                    _steps.Add(s);
                    _values.Add(v ?? Missing);
                }
                foreach (var (s, json) in _pending ?? [])
                    UpsertLocked(s, json);
                _pending = null;
                return _steps.Count;
            }
        }

        /// <summary>Appends or replaces the report at these steps (kept aside while loading); returns the points added.</summary>
        public int Upsert(long steps, string json)
        {
            lock (_lock)
            {
                if (_pending is not null)
                {
                    _pending.Add((steps, json));
                    return 0;
                }
                var before = _steps.Count;
                UpsertLocked(steps, json);
                return _steps.Count - before;
            }
        }

        private void UpsertLocked(long steps, string json)
        {
            var value = MetricSeries.TryReadAverage(json, Name, out var v) ? v : Missing;
            if (_steps.Count == 0 || steps > _steps[^1])
            {
                _steps.Add(steps);
                _values.Add(value);
                return;
            }
            var index = _steps.BinarySearch(steps);
            if (index >= 0)
            {
                _values[index] = value;
                return;
            }
            _steps.Insert(~index, steps);
            _values.Insert(~index, value);
        }

        public (long[] Steps, double[] Values) Sample(int maxPoints)
        {
            lock (_lock)
            {
                var steps = new List<long>(Math.Min(maxPoints, _steps.Count));
                var values = new List<double>(steps.Capacity);
                foreach (var i in MetricSampler.SampleIndexes(_steps.Count, maxPoints))
                {
                    var v = _values[(int)i];
                    if (BitConverter.DoubleToInt64Bits(v) == BitConverter.DoubleToInt64Bits(Missing))
                        continue;
                    steps.Add(_steps[(int)i]);
                    values.Add(v);
                }
                return ([.. steps], [.. values]);
            }
        }
    }
}
