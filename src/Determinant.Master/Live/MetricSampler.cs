using System.Data.Common;
using System.Globalization;
using System.Text;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Determinant.Master.Live;

/// <summary>
/// Learning curves cut in the database, so that a request reads (and parses) only the reports it returns, with no series
/// held in memory between requests (docs/master.md, "Sampled learning curves").
/// <para>
/// The sample of a series of <c>n</c> reports (in step order) cut to <c>m</c> points is the reports at the indexes
/// <c>floor(i (n - 1) / (m - 1))</c> for <c>i</c> in <c>0 .. m - 1</c>: evenly spaced, always with the first and the last.
/// One query of index lookups gives each trial's count and first and last steps; when a trial's steps are evenly
/// spaced (the common case: a report every <c>k</c> batches) the step itself gives a report's index, so the database keeps
/// only the sampled rows without numbering them. A trial whose steps are not evenly spaced is read whole and cut here.
/// </para>
/// </summary>
internal static class MetricSampler
{
    private sealed record Stats(long Count, long First, long Last);

    /// <summary>The sampled series of one metric of these trials (a trial without reports of it maps to empty arrays).</summary>
    /// <remarks>
    /// The request's context (<paramref name="db"/>) reads the statistics and a share of the trials. With
    /// <paramref name="scopes"/>, up to one more connection per core (at most <see cref="MaxConnections"/> in all) reads
    /// trials in parallel: a cold cut is bound by the database reading one row per sampled report, and the readers do not
    /// block each other (SQLite in WAL mode, PostgreSQL).
    /// </remarks>
    public static async Task<Dictionary<int, (long[] Steps, double[] Values)>> SampleAsync(MasterDbContext db, IReadOnlyCollection<int> trialIds,
        string group, string metricName, int maxPoints, CancellationToken cancellationToken, IServiceScopeFactory? scopes = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(trialIds);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 2);
        var result = trialIds.ToDictionary(id => id, _ => (Array.Empty<long>(), Array.Empty<double>()));
        if (trialIds.Count == 0)
            return result;
        var name = Encoding.UTF8.GetBytes(metricName);
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await MapAsync(db.Database.GetDbConnection(), MmapBytes, cancellationToken).ConfigureAwait(false);
        try
        {
            var stats = (await StatsAsync(db.Database.GetDbConnection(), trialIds, [group], cancellationToken).ConfigureAwait(false)).ToArray();
            var readers = scopes is null ? 1 : Math.Clamp(Math.Min(Environment.ProcessorCount, stats.Length / MinTrialsPerConnection), 1, MaxConnections);
            var next = -1;
            var sampled = new (long[] Steps, double[] Values)[stats.Length];
            // Each reader takes the next trial until none is left, so a slow trial does not hold up a fixed share.
            async Task ReadAsync(DbConnection connection)
            {
                for (var i = Interlocked.Increment(ref next); i < stats.Length; i = Interlocked.Increment(ref next))
                {
                    var ((trialId, _), s) = stats[i];
                    sampled[i] = Parse(await SampleTrialAsync(connection, trialId, group, s, maxPoints, cancellationToken).ConfigureAwait(false), name);
                }
            }
            async Task ReadOnOwnConnectionAsync()
            {
                await using var scope = scopes!.CreateAsyncScope();
                var other = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
                await other.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    await MapAsync(other.Database.GetDbConnection(), MmapBytes, cancellationToken).ConfigureAwait(false);
                    await ReadAsync(other.Database.GetDbConnection()).ConfigureAwait(false);
                }
                finally
                {
                    await MapAsync(other.Database.GetDbConnection(), 0, CancellationToken.None).ConfigureAwait(false);
                    await other.Database.CloseConnectionAsync().ConfigureAwait(false);
                }
            }
            var others = Enumerable.Range(1, readers - 1).Select(_ => Task.Run(ReadOnOwnConnectionAsync, cancellationToken)).ToList();
            await ReadAsync(db.Database.GetDbConnection()).ConfigureAwait(false);
            await Task.WhenAll(others).ConfigureAwait(false);
            for (var i = 0; i < stats.Length; i++)
                result[stats[i].Key.TrialId] = sampled[i];
        }
        finally
        {
            await MapAsync(db.Database.GetDbConnection(), 0, CancellationToken.None).ConfigureAwait(false);
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
        return result;
    }

    /// <summary>How much of an SQLite file a cut maps into memory while it reads.</summary>
    private const long MmapBytes = 256L << 20;

    /// <summary>
    /// Makes an SQLite connection read its file through a memory map of <paramref name="bytes"/> (0: none, SQLite's
    /// default). A cut fetches one row per sampled point, scattered over the file; through the map that costs no system
    /// call per page, which halves the read. The map is dropped again before the connection returns to the pool: each
    /// connection maps the file separately and every mapped page counts in the process's resident size.
    /// </summary>
    private static async Task MapAsync(DbConnection connection, long bytes, CancellationToken cancellationToken)
    {
        if (connection is not SqliteConnection)
            return;
        await using var command = connection.CreateCommand();
        command.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA mmap_size = {bytes};");
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The most connections one cut reads with.</summary>
    public const int MaxConnections = 4;

    /// <summary>Fewer trials than this per extra connection are not worth opening it for.</summary>
    private const int MinTrialsPerConnection = 8;

    /// <summary>
    /// The metric names of these trials per group, read from each trial's first and last report of the group (a name a
    /// trial reported only in between is not listed).
    /// </summary>
    public static async Task<(SortedSet<string> Training, SortedSet<string> Validation)> NamesAsync(MasterDbContext db, IReadOnlyCollection<int> trialIds,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(trialIds);
        var training = new SortedSet<string>(StringComparer.Ordinal);
        var validation = new SortedSet<string>(StringComparer.Ordinal);
        if (trialIds.Count == 0)
            return (training, validation);
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = db.Database.GetDbConnection();
            var stats = await StatsAsync(connection, trialIds, [MetricReportEntity.Training, MetricReportEntity.Validation], cancellationToken)
                .ConfigureAwait(false);
            if (stats.Count == 0)
                return (training, validation);
            // Only numbers go into the text of the query (the groups are the two constants).
            var where = string.Join(" OR ", stats.Select(s => string.Create(CultureInfo.InvariantCulture,
                $"(\"TrialId\" = {s.Key.TrialId} AND \"Group\" = '{s.Key.Group}' AND \"StepsCompleted\" IN ({s.Value.First}, {s.Value.Last}))")));
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT \"Group\", \"MetricsJson\" FROM metric_reports WHERE {where}";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var names = reader.GetString(0) == MetricReportEntity.Training ? training : validation;
                foreach (var (name, _) in MetricSeries.NumericAverages(reader.GetString(1)))
                    names.Add(name);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
        return (training, validation);
    }

    /// <summary>The indexes of the sample of <paramref name="count"/> reports cut to <paramref name="maxPoints"/>.</summary>
    public static IEnumerable<long> SampleIndexes(long count, int maxPoints)
    {
        if (count <= maxPoints)
        {
            for (long i = 0; i < count; i++)
                yield return i;
            yield break;
        }
        for (long i = 0; i < maxPoints; i++)
            yield return i * (count - 1) / (maxPoints - 1);
    }

    /// <summary>
    /// Per (trial, group) with reports: how many, and the first and last steps. Three index lookups per pair (a count of
    /// the pair's index range and two seeks), which is several times cheaper than grouping the whole range.
    /// </summary>
    private static async Task<Dictionary<(int TrialId, string Group), Stats>> StatsAsync(DbConnection connection, IReadOnlyCollection<int> trialIds,
        string[] groups, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        const string Range = "FROM metric_reports WHERE \"TrialId\" = w.tid AND \"Group\" = gs.g";
        command.CommandText = $"WITH w(tid) AS (VALUES {string.Join(", ", trialIds.Distinct().Select(id => string.Create(CultureInfo.InvariantCulture, $"({id})")))}), "
            + $"gs(g) AS (VALUES {string.Join(", ", groups.Select((_, i) => $"(@g{i})"))}) "
            + $"SELECT w.tid, gs.g, (SELECT COUNT(*) {Range}), (SELECT MIN(\"StepsCompleted\") {Range}), (SELECT MAX(\"StepsCompleted\") {Range}) FROM w, gs";
        for (var i = 0; i < groups.Length; i++)
            AddParameter(command, $"g{i}", groups[i]);
        var stats = new Dictionary<(int, string), Stats>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var count = reader.GetInt64(2);
            if (count > 0)
                stats[(reader.GetInt32(0), reader.GetString(1))] = new Stats(count, reader.GetInt64(3), reader.GetInt64(4));
        }
        return stats;
    }

    /// <summary>The sampled rows (steps, stored JSON) of one trial in step order.</summary>
    private static async Task<List<(long Steps, byte[] Json)>> SampleTrialAsync(DbConnection connection, int trialId, string group, Stats stats, int maxPoints,
        CancellationToken cancellationToken)
    {
        const string Select = "SELECT \"StepsCompleted\", \"MetricsJson\" FROM metric_reports WHERE \"TrialId\" = @t AND \"Group\" = @g";
        if (stats.Count > maxPoints && (stats.Last - stats.First) % (stats.Count - 1) == 0)
        {
            // Evenly spaced steps: index k sits at First + k * stride. A row off that grid means the steps are not evenly
            // spaced after all; it is returned too (so the check costs no second query) and the trial is read whole.
            var stride = (stats.Last - stats.First) / (stats.Count - 1);
            await using var command = connection.CreateCommand();
            command.CommandText = Select + " AND ((\"StepsCompleted\" - @first) % @stride <> 0 OR "
                + "((((\"StepsCompleted\" - @first) / @stride) * @a + @n - 1) / @n) * @n / @a = (\"StepsCompleted\" - @first) / @stride) "
                + "ORDER BY \"StepsCompleted\"";
            AddParameter(command, "t", trialId);
            AddParameter(command, "g", group);
            AddParameter(command, "first", stats.First);
            AddParameter(command, "stride", stride);
            AddParameter(command, "a", (long)maxPoints - 1);
            AddParameter(command, "n", stats.Count - 1);
            var rows = await ReadAsync(command, cancellationToken).ConfigureAwait(false);
            if (rows.Count == maxPoints && rows.All(r => (r.Steps - stats.First) % stride == 0))
                return rows;
        }
        await using (var whole = connection.CreateCommand())
        {
            whole.CommandText = Select + " ORDER BY \"StepsCompleted\"";
            AddParameter(whole, "t", trialId);
            AddParameter(whole, "g", group);
            var rows = await ReadAsync(whole, cancellationToken).ConfigureAwait(false);
            return rows.Count <= maxPoints ? rows : [.. SampleIndexes(rows.Count, maxPoints).Select(i => rows[(int)i])];
        }
    }

    /// <summary>
    /// The rows with each report as UTF-8 bytes: SQLite hands its stored text over as bytes as they are, which spares a
    /// decoding to a string and an encoding back per row; other providers give a string.
    /// </summary>
    private static async Task<List<(long Steps, byte[] Json)>> ReadAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<(long, byte[])>();
        var asBytes = command.Connection is SqliteConnection;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            rows.Add((reader.GetInt64(0), asBytes ? reader.GetFieldValue<byte[]>(1) : Encoding.UTF8.GetBytes(reader.GetString(1))));
        return rows;
    }

    private static (long[] Steps, double[] Values) Parse(List<(long Steps, byte[] Json)> rows, byte[] utf8Name)
    {
        var steps = new List<long>(rows.Count);
        var values = new List<double>(rows.Count);
        foreach (var (s, json) in rows)
        {
            if (MetricSeries.TryReadAverage(json, utf8Name, out var value))
            {
                steps.Add(s);
                values.Add(value);
            }
        }
        return ([.. steps], [.. values]);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
