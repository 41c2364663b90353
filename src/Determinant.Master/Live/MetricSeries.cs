using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Determinant.Master.Live;

/// <summary>Reads the averaged metrics of a stored report (<c>{"avgMetrics": {...}}</c>, or <c>avg_metrics</c>).</summary>
internal static class MetricSeries
{
    /// <summary>
    /// The value of one average (matched as UTF-8 bytes, so a report allocates nothing but a pooled buffer): a number, or
    /// NaN and the infinities as stored. False when the report has no numeric value of that name.
    /// </summary>
    public static bool TryReadAverage(string metricsJson, ReadOnlySpan<byte> utf8Name, out double value)
    {
        ArgumentNullException.ThrowIfNull(metricsJson);
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(metricsJson.Length));
        try
        {
            var used = Encoding.UTF8.GetBytes(metricsJson, buffer);
            return TryReadAverage(buffer.AsSpan(0, used), utf8Name, out value);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// As <see cref="TryReadAverage(string, ReadOnlySpan{byte}, out double)"/>, from the report's UTF-8 bytes. Compiled
    /// optimised from its first call: a cold learning-curve cut parses 140,000 reports with it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryReadAverage(ReadOnlySpan<byte> utf8Json, ReadOnlySpan<byte> utf8Name, out double value)
    {
        value = 0;
        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return false;
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
                    var match = reader.ValueTextEquals(utf8Name);
                    reader.Read();
                    if (!match)
                    {
                        reader.Skip();
                        continue;
                    }
                    if (reader.TokenType == JsonTokenType.Number)
                    {
                        value = reader.GetDouble();
                        return true;
                    }
                    return reader.TokenType == JsonTokenType.String && TryNamedFloat(reader.GetString(), out value);
                }
                return false;
            }
            return false;
        }
        catch (JsonException)
        {
            // Stored reports are valid JSON; a malformed one adds nothing to the curves.
            return false;
        }
    }

    /// <summary>The numeric entries of a stored report's <c>avgMetrics</c>; NaN and infinities as stored, others skipped.</summary>
    public static List<(string Name, double Value)> NumericAverages(string metricsJson)
    {
        var result = new List<(string, double)>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(metricsJson));
        try
        {
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
                    else if (reader.TokenType == JsonTokenType.String && TryNamedFloat(reader.GetString(), out var named))
                        result.Add((name, named));
                    else
                        reader.Skip();
                }
                break;
            }
        }
        catch (JsonException)
        {
            // As above: nothing from a malformed report.
        }
        return result;
    }

    private static bool TryNamedFloat(string? text, out double value)
    {
        value = text is "NaN" or "Infinity" or "-Infinity" ? double.Parse(text, CultureInfo.InvariantCulture) : 0;
        return text is "NaN" or "Infinity" or "-Infinity";
    }
}
