using System.Text.Json;
using System.Text.Json.Nodes;
using Determinant.Master.Errors;
using Determinant.Protocol.CoreApi;

namespace Determinant.Master.CoreApi;

/// <summary>
/// What one metric report may hold (docs/core-api.md, docs/security.md): values are numbers, or the strings
/// <c>"NaN"</c>, <c>"Infinity"</c> and <c>"-Infinity"</c> for non-finite ones, which are kept as sent; names, their
/// length, the stored size and the steps are bounded. Each refusal is a 400 naming the field and the limit.
/// </summary>
internal static class MetricReportLimits
{
    /// <summary>The most metric names in <c>avgMetrics</c>, and in each object of <c>batchMetrics</c>.</summary>
    public const int MaxNames = 1000;

    /// <summary>The longest metric name, in characters.</summary>
    public const int MaxNameLength = 256;

    /// <summary>The largest report as stored: its metrics (averages and every batch) as JSON, in UTF-8 bytes.</summary>
    public const int MaxReportBytes = 4 * 1024 * 1024;

    /// <summary>The most steps a report may claim: 2^53 − 1, the largest integer every JSON reader holds exactly.</summary>
    public const long MaxSteps = (1L << 53) - 1;

    private static readonly string[] NonFinite = ["NaN", "Infinity", "-Infinity"];

    /// <summary>Checks <paramref name="report"/> (at <paramref name="path"/> in the request) and gives its metrics as the JSON to store.</summary>
    /// <exception cref="BadRequestException">A rule is broken; the message names the field and the limit.</exception>
    public static string Check(TrialMetrics report, string path)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.StepsCompleted > MaxSteps)
            throw new BadRequestException($"{path}.stepsCompleted: {report.StepsCompleted} is over the limit of {MaxSteps} steps (MetricReportLimits.MaxSteps)");
        if (report.Metrics?.AvgMetrics is not { } averages)
            throw new BadRequestException($"{path}.metrics.avgMetrics: is required (an object of metric names to numbers)");
        CheckValues(averages, $"{path}.metrics.avgMetrics");
        var batches = report.Metrics.BatchMetrics ?? [];
        for (var i = 0; i < batches.Count; i++)
            CheckValues(batches[i] ?? throw new BadRequestException($"{path}.metrics.batchMetrics[{i}]: must be an object, not null"), $"{path}.metrics.batchMetrics[{i}]");
        var json = JsonSerializer.Serialize(report.Metrics, CoreApiJsonContext.Default.TrialMetricsBody);
        // Characters bound the UTF-8 size from below; only a text near the limit needs counting.
        if (json.Length > MaxReportBytes / 3 && System.Text.Encoding.UTF8.GetByteCount(json) is var bytes and > MaxReportBytes)
            throw new BadRequestException($"{path}.metrics: {bytes} bytes of metrics are over the limit of {MaxReportBytes} bytes per report (MetricReportLimits.MaxReportBytes)");
        return json;
    }

    /// <summary>The value of a searcher metric as reported: a number, or NaN and ±∞ from their strings; null for anything else.</summary>
    public static double? Number(JsonNode? value) => value switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.TryGetValue<double>(out var number) && double.IsFinite(number) ? number : null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            _ => null,
        },
        _ => null,
    };

    private static void CheckValues(JsonObject metrics, string path)
    {
        if (metrics.Count > MaxNames)
            throw new BadRequestException($"{path}: {metrics.Count} metric names are over the limit of {MaxNames} per report (MetricReportLimits.MaxNames)");
        foreach (var (name, value) in metrics)
        {
            if (name.Length is 0 or > MaxNameLength)
            {
                throw new BadRequestException($"{path}: a metric name must have 1 to {MaxNameLength} characters (MetricReportLimits.MaxNameLength); "
                    + $"one has {name.Length}, starting \"{name[..Math.Min(name.Length, 32)]}\"");
            }
            if (Number(value) is null)
            {
                throw new BadRequestException($"{path}.{name}: must be a number, or one of {string.Join(", ", NonFinite.Select(s => $"\"{s}\""))} for a "
                    + $"non-finite value, not {Describe(value)}");
            }
        }
    }

    private static string Describe(JsonNode? value) => value?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "null",
        JsonValueKind.String => "the string \"" + Truncate(value.GetValue<string>()) + "\"",
        JsonValueKind.Number => $"{Truncate(value.ToJsonString())}, which is beyond the range of a double",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "a list",
        _ => "an object",
    };

    private static string Truncate(string text) => text.Length <= 32 ? text : text[..32] + "…";
}
