using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Determinant.Master.Live;

/// <summary>
/// One trial's reports of one group, held as columns per metric name (steps and values in step order), so a learning
/// curve is cut from memory instead of parsing every stored report again. Reports that arrive while the rows are being
/// read are kept aside and applied after the read, so nothing committed in between is lost. Thread-safe.
/// </summary>
internal sealed class MetricSeries
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Column> _columns = new(StringComparer.Ordinal);
    private readonly List<Column> _ordered = [];
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<(long Steps, string Json)>? _pending = [];

    /// <summary>Completes once the stored rows were read (or fails with the read's error).</summary>
    public Task WhenLoaded => _loaded.Task;

    public void LoadFailed(Exception exception) => _loaded.TrySetException(exception);

    /// <summary>Whether the stored rows were read (until then, live reports wait in a side list).</summary>
    public bool Loaded
    {
        get
        {
            lock (_lock)
                return _pending is null;
        }
    }

    /// <summary>Applies the stored rows (in step order), then whatever arrived meanwhile.</summary>
    public void Load(IEnumerable<(long Steps, string Json)> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        lock (_lock)
        {
            if (_pending is null)
                return;
            foreach (var (steps, json) in rows)
                UpsertLocked(steps, json);
            foreach (var (steps, json) in _pending)
                UpsertLocked(steps, json);
            _pending = null;
        }
        _loaded.TrySetResult();
    }

    /// <summary>A report stored at <paramref name="steps"/>: appended, or replacing the value at the same steps (a later run's re-report).</summary>
    public void Upsert(long steps, string metricsJson)
    {
        lock (_lock)
        {
            if (_pending is not null)
                _pending.Add((steps, metricsJson));
            else
                UpsertLocked(steps, metricsJson);
        }
    }

    public IReadOnlyList<string> Names
    {
        get
        {
            lock (_lock)
                return [.. _columns.Keys];
        }
    }

    /// <summary>At most <paramref name="maxPoints"/> points of a metric, evenly spaced by index, always with the first and the last.</summary>
    public (long[] Steps, double[] Values) Sample(string name, int maxPoints)
    {
        lock (_lock)
        {
            if (!_columns.TryGetValue(name, out var column) || column.Steps.Count == 0)
                return ([], []);
            var count = column.Steps.Count;
            if (count <= maxPoints)
                return ([.. column.Steps], [.. column.Values]);
            var steps = new long[maxPoints];
            var values = new double[maxPoints];
            if (maxPoints == 1)
            {
                steps[0] = column.Steps[count - 1];
                values[0] = column.Values[count - 1];
                return (steps, values);
            }
            for (var i = 0; i < maxPoints; i++)
            {
                var index = (int)((long)i * (count - 1) / (maxPoints - 1));
                steps[i] = column.Steps[index];
                values[i] = column.Values[index];
            }
            return (steps, values);
        }
    }

    /// <summary>Parses the report's <c>avgMetrics</c> in place: known names are matched as UTF-8 bytes, so a row allocates nothing but its buffer.</summary>
    private void UpsertLocked(long steps, string json)
    {
        var length = Encoding.UTF8.GetMaxByteCount(json.Length);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var used = Encoding.UTF8.GetBytes(json, buffer);
            var reader = new Utf8JsonReader(buffer.AsSpan(0, used));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isAverages = reader.ValueTextEquals("avgMetrics"u8) || reader.ValueTextEquals("avg_metrics"u8);
                reader.Read();
                if (!isAverages || reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var column = FindColumn(ref reader);
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Number)
                        column.Upsert(steps, reader.GetDouble());
                    else if (reader.TokenType == JsonTokenType.String && reader.GetString() is { } text && text is "NaN" or "Infinity" or "-Infinity")
                        column.Upsert(steps, double.Parse(text, CultureInfo.InvariantCulture));
                    else
                        reader.Skip();
                }
                return;
            }
        }
        catch (JsonException)
        {
            // Stored reports are valid JSON; a malformed one adds nothing to the curves.
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private Column FindColumn(ref Utf8JsonReader reader)
    {
        foreach (var column in _ordered)
        {
            if (reader.ValueTextEquals(column.Utf8Name))
                return column;
        }
        var name = reader.GetString()!;
        var added = new Column(Encoding.UTF8.GetBytes(name));
        _columns[name] = added;
        _ordered.Add(added);
        return added;
    }

    /// <summary>The numeric entries of a stored report's <c>avgMetrics</c>; NaN and infinities as stored, others skipped.</summary>
    public static List<(string Name, double Value)> NumericAverages(string metricsJson)
    {
        var result = new List<(string, double)>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(metricsJson));
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            return result;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isAverages = reader.ValueTextEquals("avgMetrics"u8) || reader.ValueTextEquals("avg_metrics"u8);
            reader.Read();
            if (!isAverages || reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                if (reader.TokenType == JsonTokenType.Number)
                    result.Add((name, reader.GetDouble()));
                else if (reader.TokenType == JsonTokenType.String && reader.GetString() is "NaN" or "Infinity" or "-Infinity")
                    result.Add((name, double.Parse(reader.GetString()!, CultureInfo.InvariantCulture)));
                else
                    reader.Skip();
            }
            break;
        }
        return result;
    }

    private sealed class Column(byte[] utf8Name)
    {
        public byte[] Utf8Name { get; } = utf8Name;

        public List<long> Steps { get; } = [];
        public List<double> Values { get; } = [];

        public void Upsert(long steps, double value)
        {
            if (Steps.Count == 0 || steps > Steps[^1])
            {
                Steps.Add(steps);
                Values.Add(value);
                return;
            }
            var index = Steps.BinarySearch(steps);
            if (index >= 0)
            {
                Values[index] = value;
                return;
            }
            Steps.Insert(~index, steps);
            Values.Insert(~index, value);
        }
    }
}
