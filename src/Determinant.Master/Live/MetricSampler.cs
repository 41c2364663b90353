using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
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
/// On SQLite <see cref="SqliteCurveCut"/> cuts each trial in one scan. On other databases one query over the trial's key
/// range gives its count and first and last steps; when a trial's steps are evenly spaced (the common case: a report every
/// <c>k</c> batches) the step itself gives a report's index, so the database keeps only the sampled rows without numbering
/// them. A trial whose steps are not evenly spaced is read whole and cut here.
/// </para>
/// </summary>
internal static class MetricSampler
{
    private sealed record Stats(long Count, long First, long Last);

    /// <summary>The sampled series of one metric of these trials (a trial without reports of it maps to empty arrays).</summary>
    /// <remarks>
    /// Without <paramref name="scopes"/> the request's context (<paramref name="db"/>) reads every trial. With them, one
    /// connection per core (at most <see cref="MaxConnections"/>, fewer for few trials) reads trials in parallel: a cold
    /// cut is bound by the database stepping over the trials' rows, and the readers do not block each other (SQLite in WAL
    /// mode, PostgreSQL).
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
        var trials = trialIds.Distinct().ToArray();
        var next = -1;
        var sampled = new (long[] Steps, double[] Values)[trials.Length];
        // Each reader takes the next trial until none is left, so a slow trial does not hold up a fixed share; a trial is
        // read whole (its count, then its cut) by the reader that takes it. SQLite cuts through its own interface.
        async Task ReadAsync(DbConnection connection)
        {
            using var sqliteCut = connection is SqliteConnection sqlite ? new SqliteCurveCut(sqlite) : null;
            for (var i = Interlocked.Increment(ref next); i < trials.Length; i = Interlocked.Increment(ref next))
            {
                cancellationToken.ThrowIfCancellationRequested();
                sampled[i] = sqliteCut?.Cut(trials[i], group, maxPoints, name)
                    ?? await CutAsync(connection, trials[i], group, maxPoints, name, cancellationToken).ConfigureAwait(false);
            }
        }
        // Reads through a memory map of the file; the share is done (read) once it has read, before the map is dropped and
        // the connection closed, so that on its own connection that happens while the answer is already being written.
        async Task ReadMappedAsync(MasterDbContext context, TaskCompletionSource? read)
        {
            await context.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            var connection = context.Database.GetDbConnection();
            try
            {
                await MapAsync(connection, MmapBytes, cancellationToken).ConfigureAwait(false);
                await ReadAsync(connection).ConfigureAwait(false);
                read?.TrySetResult();
            }
            finally
            {
                await MapAsync(connection, 0, CancellationToken.None).ConfigureAwait(false);
                await context.Database.CloseConnectionAsync().ConfigureAwait(false);
            }
        }
        async Task ReadOnOwnConnectionAsync(TaskCompletionSource read)
        {
            try
            {
                await using var scope = scopes!.CreateAsyncScope();
                await ReadMappedAsync(scope.ServiceProvider.GetRequiredService<MasterDbContext>(), read).ConfigureAwait(false);
            }
            catch (OperationCanceledException e)
            {
                read.TrySetCanceled(e.CancellationToken);
            }
            catch (Exception e)
            {
                // Given to the request when its share was not read; an unmapping that failed after it is of no consequence
                // (the connection is disposed with its scope).
                read.TrySetException(e);
            }
        }

        if (scopes is null)
        {
            await ReadMappedAsync(db, null).ConfigureAwait(false);
        }
        else
        {
            var readers = Math.Clamp(Math.Min(Environment.ProcessorCount, trials.Length / MinTrialsPerConnection), 1, MaxConnections);
            var shares = new Task[readers];
            for (var r = 0; r < readers; r++)
            {
                var read = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                shares[r] = read.Task;
                _ = Task.Run(() => ReadOnOwnConnectionAsync(read), CancellationToken.None);
            }
            await Task.WhenAll(shares).ConfigureAwait(false);
        }
        for (var i = 0; i < trials.Length; i++)
            result[trials[i]] = sampled[i];
        return result;
    }

    /// <summary>One trial's cut through ADO.NET (the databases other than SQLite): its statistics, then its sampled rows.</summary>
    private static async Task<(long[] Steps, double[] Values)> CutAsync(DbConnection connection, int trialId, string group, int maxPoints,
        byte[] utf8Name, CancellationToken cancellationToken) =>
        await TrialStatsAsync(connection, trialId, group, cancellationToken).ConfigureAwait(false) is { } stats
            ? Points(await SampleTrialAsync(connection, trialId, group, stats, maxPoints, utf8Name, cancellationToken).ConfigureAwait(false))
            : ([], []);

    /// <summary>How much of an SQLite file a cut maps into memory while it reads.</summary>
    private const long MmapBytes = 256L << 20;

    /// <summary>
    /// Makes an SQLite connection read its file through a memory map of <paramref name="bytes"/> (0: none, SQLite's
    /// default): a cut steps over every row of its trials, and through the map that costs no system call per page (on the
    /// table stored by row id, where a curve's rows were scattered, it halved the read). The map is dropped again before
    /// the connection returns to the pool: each connection maps the file separately and every mapped page counts in the
    /// process's resident size.
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
            var ends = await FirstAndLastAsync(connection, trialIds, [MetricReportEntity.Training, MetricReportEntity.Validation], cancellationToken)
                .ConfigureAwait(false);
            if (ends.Count == 0)
                return (training, validation);
            // Only numbers go into the text of the query (the groups are the two constants).
            var where = string.Join(" OR ", ends.Select(s => string.Create(CultureInfo.InvariantCulture,
                $"(\"TrialId\" = {s.TrialId} AND \"Group\" = '{s.Group}' AND \"StepsCompleted\" IN ({s.First}, {s.Last}))")));
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

    /// <summary>The SQL of one trial's reports of one group (<c>@t</c>, <c>@g</c>), along the table's key.</summary>
    private const string TrialRange = "FROM metric_reports WHERE \"TrialId\" = @t AND \"Group\" = @g";

    /// <summary>Per (trial, group) with reports: the first and last steps, two seeks each.</summary>
    private static async Task<List<(int TrialId, string Group, long First, long Last)>> FirstAndLastAsync(DbConnection connection,
        IReadOnlyCollection<int> trialIds, string[] groups, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        const string Range = "FROM metric_reports WHERE \"TrialId\" = w.tid AND \"Group\" = gs.g";
        command.CommandText = $"WITH w(tid) AS (VALUES {string.Join(", ", trialIds.Distinct().Select(id => string.Create(CultureInfo.InvariantCulture, $"({id})")))}), "
            + $"gs(g) AS (VALUES {string.Join(", ", groups.Select((_, i) => $"(@g{i})"))}) "
            + $"SELECT w.tid, gs.g, (SELECT MIN(\"StepsCompleted\") {Range}), (SELECT MAX(\"StepsCompleted\") {Range}) FROM w, gs";
        for (var i = 0; i < groups.Length; i++)
            AddParameter(command, $"g{i}", groups[i]);
        var ends = new List<(int, string, long, long)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!reader.IsDBNull(2))
                ends.Add((reader.GetInt32(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3)));
        }
        return ends;
    }

    /// <summary>
    /// One trial's count and first and last steps of a group, or null when it has no reports of it. Three subqueries:
    /// alone, <c>MIN</c> and <c>MAX</c> are each one seek and <c>COUNT(*)</c> only steps over the rows, whereas the three
    /// aggregates of one scan would decode every row's steps (about twice the time).
    /// </summary>
    private static async Task<Stats?> TrialStatsAsync(DbConnection connection, int trialId, string group, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT (SELECT COUNT(*) {TrialRange}), (SELECT MIN(\"StepsCompleted\") {TrialRange}), (SELECT MAX(\"StepsCompleted\") {TrialRange})";
        AddParameter(command, "t", trialId);
        AddParameter(command, "g", group);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var count = reader.GetInt64(0);
        return count == 0 ? null : new Stats(count, reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <summary>The sampled reports of one trial in step order: steps and the metric's value (null: the report lacks it).</summary>
    private static async Task<List<(long Steps, double? Value)>> SampleTrialAsync(DbConnection connection, int trialId, string group, Stats stats,
        int maxPoints, byte[] utf8Name, CancellationToken cancellationToken)
    {
        if (stats.Count > maxPoints && (stats.Last - stats.First) % (stats.Count - 1) == 0)
        {
            // Evenly spaced steps: index k sits at First + k * stride. A row off that grid means the steps are not evenly
            // spaced after all; it is returned too (so the check costs no second query) and the trial is read whole.
            var stride = (stats.Last - stats.First) / (stats.Count - 1);
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT \"StepsCompleted\", \"MetricsJson\" {TrialRange} AND ((\"StepsCompleted\" - @first) % @stride <> 0 OR "
                + "((((\"StepsCompleted\" - @first) / @stride) * @a + @n - 1) / @n) * @n / @a = (\"StepsCompleted\" - @first) / @stride) "
                + "ORDER BY \"StepsCompleted\"";
            AddParameter(command, "t", trialId);
            AddParameter(command, "g", group);
            AddParameter(command, "first", stats.First);
            AddParameter(command, "stride", stride);
            AddParameter(command, "a", (long)maxPoints - 1);
            AddParameter(command, "n", stats.Count - 1);
            var rows = await ReadAsync(command, utf8Name, cancellationToken).ConfigureAwait(false);
            if (rows.Count == maxPoints && rows.All(r => (r.Steps - stats.First) % stride == 0))
                return rows;
        }
        var all = await ReadWholeAsync(connection, trialId, group, utf8Name, cancellationToken).ConfigureAwait(false);
        return all.Count <= maxPoints ? all : [.. SampleIndexes(all.Count, maxPoints).Select(i => all[(int)i])];
    }

    /// <summary>
    /// Every report of one trial and group in step order, with the metric's value (null: the report lacks it); also how
    /// the curves held in memory are read (<see cref="MetricColumnCache"/>).
    /// </summary>
    public static async Task<List<(long Steps, double? Value)>> ReadWholeAsync(DbConnection connection, int trialId, string group, byte[] utf8Name,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var whole = connection.CreateCommand();
        whole.CommandText = $"SELECT \"StepsCompleted\", \"MetricsJson\" {TrialRange} ORDER BY \"StepsCompleted\"";
        AddParameter(whole, "t", trialId);
        AddParameter(whole, "g", group);
        return await ReadAsync(whole, utf8Name, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The rows' steps and values, each report parsed as it is read. SQLite hands its stored text over as UTF-8 bytes as
    /// they are, which spares decoding to a string and encoding back per row; other providers give a string.
    /// </summary>
    private static async Task<List<(long Steps, double? Value)>> ReadAsync(DbCommand command, byte[] utf8Name, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (reader is SqliteDataReader sqlite)
            return ReadSqlite(sqlite, utf8Name);
        var rows = new List<(long, double?)>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            rows.Add((reader.GetInt64(0), MetricSeries.TryReadAverage(reader.GetString(1), utf8Name, out var value) ? value : null));
        return rows;
    }

    /// <summary>
    /// SQLite's rows, read synchronously (its async reads are synchronous underneath). Compiled optimised from its first
    /// call: a cut runs this loop 140,000 times, and a fresh process would otherwise run it unoptimised at first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static List<(long Steps, double? Value)> ReadSqlite(SqliteDataReader reader, byte[] utf8Name)
    {
        var rows = new List<(long, double?)>();
        while (reader.Read())
            rows.Add((reader.GetInt64(0), MetricSeries.TryReadAverage(reader.GetFieldValue<byte[]>(1), utf8Name, out var value) ? value : null));
        return rows;
    }

    /// <summary>The points of the sampled reports that carry the metric.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static (long[] Steps, double[] Values) Points(List<(long Steps, double? Value)> rows)
    {
        var steps = new List<long>(rows.Count);
        var values = new List<double>(rows.Count);
        foreach (var (s, value) in rows)
        {
            if (value is { } v)
            {
                steps.Add(s);
                values.Add(v);
            }
        }
        return ([.. steps], [.. values]);
    }

    /// <summary>
    /// Runs the cut's code (reading, parsing and writing the answer's JSON) on a small database in memory until the runtime
    /// has compiled it fully, so that the first cut after a start runs at full speed. A fresh process runs new code
    /// unoptimised at first (tiered compilation) and only recompiles what was called often; a first cut on that code took
    /// about twice as long as a later one (docs/master.md, "Sampled learning curves"). The runtime only starts counting
    /// calls once it has seen no new method for a while, so the rounds are spread out by <paramref name="pause"/>.
    /// </summary>
    /// <returns>The points the last round cut (500 per trial).</returns>
    public static async Task<int> WarmUpAsync(int rounds, TimeSpan pause, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var create = connection.CreateCommand())
        {
            // The shape of metric_reports (the column types as the migrations make them); two trials, one irregular.
            create.CommandText = """
                CREATE TABLE metric_reports ("TrialId" INTEGER NOT NULL, "Group" TEXT NOT NULL, "StepsCompleted" INTEGER NOT NULL,
                  "MetricsJson" TEXT NOT NULL, PRIMARY KEY ("TrialId", "Group", "StepsCompleted")) WITHOUT ROWID;
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
                INSERT INTO metric_reports SELECT t.id, 'training', n.i * 10 + (t.id = 2 AND n.i % 7 = 0),
                  '{"avgMetrics":{"accuracy":' || (1 - 1.0 / n.i) || ',"loss":' || (1.0 / n.i) || '},"batchMetrics":null}'
                FROM n, (SELECT 1 AS id UNION ALL SELECT 2) t;
                """;
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        var name = "loss"u8.ToArray();
        var points = 0;
        for (var round = 0; round < rounds; round++)
        {
            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            points = 0;
            using var cut = new SqliteCurveCut(connection);
            foreach (var trial in new[] { 1, 2 })
            {
                var (steps, values) = cut.Cut(trial, MetricReportEntity.Training, 500, name);
                await using var json = new System.Text.Json.Utf8JsonWriter(Stream.Null);
                json.WriteStartObject();
                LiveEndpoints.WriteSeries(json, steps, values);
                json.WriteEndObject();
                points += steps.Length;
            }
        }
        return points;
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
