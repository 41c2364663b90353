using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Determinant.Master.Live;

/// <summary>
/// The learning-curve cut of <see cref="MetricSampler"/> on SQLite, through SQLite's own interface on the connection's
/// handle (docs/master.md, "Sampled learning curves"). No count is read first, only the sampled reports' JSON is touched,
/// and it is parsed where SQLite keeps it.
/// <para>
/// Per trial, three seeks give the first, second and last steps. If the steps are evenly spaced (a report every
/// <c>second − first</c> batches, the usual case) there are <c>(last − first) / (second − first) + 1</c> reports and the
/// sampled indexes are known before the scan. One scan along the table's key then checks every row's steps against that
/// grid and parses the sampled rows. A row off the grid, or a missing row, shows the guess wrong: the trial is then read
/// whole and cut by index, as is every trial with no more reports than points.
/// </para>
/// <para>
/// Each reader reads its share in one read transaction, so a trial's seeks and its scan see the same reports.
/// </para>
/// </summary>
internal sealed class SqliteCurveCut : IDisposable
{
    private const string Range = "FROM metric_reports WHERE \"TrialId\" = ?1 AND \"Group\" = ?2";

    /// <summary>Between tries to start reading while SQLite reports the database busy (as Microsoft.Data.Sqlite waits).</summary>
    private static readonly TimeSpan BusyPause = TimeSpan.FromMilliseconds(50);

    private readonly sqlite3 _db;
    private readonly TimeSpan _busyTimeout;
    private readonly sqlite3_stmt _ends;
    private readonly sqlite3_stmt _rows;
    private bool _reading;

    public SqliteCurveCut(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        _busyTimeout = TimeSpan.FromSeconds(connection.DefaultTimeout);
        const string First = $"(SELECT MIN(\"StepsCompleted\") {Range})";
        _ends = Prepare($"SELECT {First}, (SELECT MAX(\"StepsCompleted\") {Range}), "
            + $"(SELECT \"StepsCompleted\" {Range} AND \"StepsCompleted\" > {First} ORDER BY \"StepsCompleted\" LIMIT 1)");
        try
        {
            _rows = Prepare($"SELECT \"StepsCompleted\", \"MetricsJson\" {Range} ORDER BY \"StepsCompleted\"");
            Check(raw.sqlite3_exec(_db, "BEGIN"), raw.SQLITE_OK);
            _reading = true;
        }
        catch
        {
            _rows?.Dispose();
            _ends.Dispose();
            throw;
        }
    }

    /// <summary>The sampled points of one trial's group (empty arrays when it has no reports of the metric).</summary>
    public (long[] Steps, double[] Values) Cut(int trialId, string group, int maxPoints, ReadOnlySpan<byte> utf8Name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 2);
        long first, last, second;
        Bind(_ends, trialId, group);
        try
        {
            if (StepWaitingWhileBusy(_ends) != raw.SQLITE_ROW || raw.sqlite3_column_type(_ends, 0) == raw.SQLITE_NULL)
                return ([], []);
            first = raw.sqlite3_column_int64(_ends, 0);
            last = raw.sqlite3_column_int64(_ends, 1);
            second = raw.sqlite3_column_type(_ends, 2) == raw.SQLITE_NULL ? first : raw.sqlite3_column_int64(_ends, 2);
        }
        finally
        {
            raw.sqlite3_reset(_ends);
        }
        var stride = second - first;
        var count = stride > 0 && (last - first) % stride == 0 ? (last - first) / stride + 1 : 0;
        Bind(_rows, trialId, group);
        try
        {
            if (count > maxPoints && TryCutGrid(first, stride, count, maxPoints, utf8Name) is { } cut)
                return cut;
            raw.sqlite3_reset(_rows);
            return CutWhole(maxPoints, utf8Name);
        }
        finally
        {
            raw.sqlite3_reset(_rows);
        }
    }

    /// <summary>
    /// The scan of a trial guessed to have <paramref name="count"/> reports at <c>first + k · stride</c>: the sampled
    /// ones parsed, or null as soon as a row shows the guess wrong. Compiled optimised from its first call: a cold cut of
    /// 100 trials steps over 500,000 rows here.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (long[] Steps, double[] Values)? TryCutGrid(long first, long stride, long count, int maxPoints, ReadOnlySpan<byte> utf8Name)
    {
        var statement = _rows.DangerousGetHandle();
        var steps = new long[maxPoints];
        var values = new double[maxPoints];
        var points = 0;
        long index = 0, sample = 0, sampled = 0;
        int rc;
        while ((rc = Native.sqlite3_step(statement)) == raw.SQLITE_ROW)
        {
            var s = Native.sqlite3_column_int64(statement, 0);
            if (s != first + index * stride || index == count)
                return null;
            if (index == sampled)
            {
                if (MetricSeries.TryReadAverage(Native.Text(statement, 1), utf8Name, out var value))
                {
                    steps[points] = s;
                    values[points++] = value;
                }
                sample++;
                sampled = sample < maxPoints ? sample * (count - 1) / (maxPoints - 1) : long.MaxValue;
            }
            index++;
        }
        Check(rc, raw.SQLITE_DONE);
        if (index != count)
            return null;
        return points == maxPoints ? (steps, values) : (steps[..points], values[..points]);
    }

    /// <summary>Every report of the trial's group parsed, then cut by index (<see cref="MetricSampler.SampleIndexes"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (long[] Steps, double[] Values) CutWhole(int maxPoints, ReadOnlySpan<byte> utf8Name)
    {
        var statement = _rows.DangerousGetHandle();
        var rows = new List<(long Steps, double? Value)>();
        int rc;
        while ((rc = Native.sqlite3_step(statement)) == raw.SQLITE_ROW)
        {
            rows.Add((Native.sqlite3_column_int64(statement, 0),
                MetricSeries.TryReadAverage(Native.Text(statement, 1), utf8Name, out var value) ? value : null));
        }
        Check(rc, raw.SQLITE_DONE);
        return MetricSampler.Points(rows.Count <= maxPoints ? rows : [.. MetricSampler.SampleIndexes(rows.Count, maxPoints).Select(i => rows[(int)i])]);
    }

    /// <summary>
    /// Steps a statement that may be the first read of the transaction: while another connection holds a lock SQLite
    /// answers busy, and the read is tried again until the connection's timeout, as Microsoft.Data.Sqlite's commands do.
    /// </summary>
    private int StepWaitingWhileBusy(sqlite3_stmt statement)
    {
        var deadline = DateTime.UtcNow + _busyTimeout;
        while (true)
        {
            var rc = raw.sqlite3_step(statement);
            if (rc is not (raw.SQLITE_BUSY or raw.SQLITE_LOCKED) || DateTime.UtcNow >= deadline)
            {
                if (rc != raw.SQLITE_ROW)
                    Check(rc, raw.SQLITE_DONE);
                return rc;
            }
            raw.sqlite3_reset(statement);
            Thread.Sleep(BusyPause);
        }
    }

    private sqlite3_stmt Prepare(string sql)
    {
        Check(raw.sqlite3_prepare_v2(_db, sql, out var statement), raw.SQLITE_OK);
        return statement;
    }

    private void Bind(sqlite3_stmt statement, int trialId, string group)
    {
        Check(raw.sqlite3_bind_int64(statement, 1, trialId), raw.SQLITE_OK);
        Check(raw.sqlite3_bind_text(statement, 2, group), raw.SQLITE_OK);
    }

    /// <summary>Throws SQLite's error, with the connection's message, unless <paramref name="rc"/> is <paramref name="expected"/>.</summary>
    private void Check(int rc, int expected)
    {
        if (rc != expected)
            SqliteException.ThrowExceptionForRC(rc, _db);
    }

    public void Dispose()
    {
        _rows.Dispose();
        _ends.Dispose();
        if (_reading)
        {
            // A read transaction only: ending it cannot lose anything, and the connection goes back to its pool clean.
            raw.sqlite3_exec(_db, "COMMIT");
            _reading = false;
        }
    }

    /// <summary>
    /// The calls of the row loops, straight into the SQLite library that Microsoft.Data.Sqlite loads (SQLitePCLRaw's
    /// <c>e_sqlite3</c>). SQLitePCLRaw's own wrappers pass each statement as a safe handle through an interface, which made
    /// a cut's 500,000 steps take about a third longer (bench: webui-sample). The column reads only return what the last
    /// step left, so they skip the runtime's switch out of managed code.
    /// </summary>
    private static unsafe class Native
    {
        private const string Library = "e_sqlite3";

        [DllImport(Library)]
        public static extern int sqlite3_step(IntPtr statement);

        [DllImport(Library), SuppressGCTransition]
        public static extern long sqlite3_column_int64(IntPtr statement, int column);

        [DllImport(Library), SuppressGCTransition]
        private static extern byte* sqlite3_column_blob(IntPtr statement, int column);

        [DllImport(Library), SuppressGCTransition]
        private static extern int sqlite3_column_bytes(IntPtr statement, int column);

        /// <summary>A text column's UTF-8 bytes as SQLite holds them, valid until the statement steps or resets.</summary>
        public static ReadOnlySpan<byte> Text(IntPtr statement, int column)
        {
            // The pointer first, then the length (SQLite's documented order).
            var bytes = sqlite3_column_blob(statement, column);
            return new ReadOnlySpan<byte>(bytes, sqlite3_column_bytes(statement, column));
        }
    }
}
