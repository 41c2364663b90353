using System.Globalization;
using System.Text.Json.Nodes;

namespace Determinant.Harness.Loop;

/// <summary>Averages metrics over batches and turns them into JSON, where a non-finite value becomes the string <c>"NaN"</c>, <c>"Infinity"</c> or <c>"-Infinity"</c>.</summary>
/// <remarks>JSON has no NaN; a string keeps the fact visible to the user (a diverged loss) instead of dropping the key.</remarks>
internal static class MetricValues
{
    /// <summary>The mean of each key over the batches that reported it.</summary>
    public static Dictionary<string, double> Average(IEnumerable<IReadOnlyDictionary<string, double>> batches)
    {
        var sums = new Dictionary<string, (double Sum, int Count)>(StringComparer.Ordinal);
        foreach (var batch in batches)
        {
            foreach (var (key, value) in batch)
            {
                var (sum, count) = sums.GetValueOrDefault(key);
                sums[key] = (sum + value, count + 1);
            }
        }

        return sums.ToDictionary(p => p.Key, p => p.Value.Sum / p.Value.Count, StringComparer.Ordinal);
    }

    public static JsonObject ToJson(IReadOnlyDictionary<string, double> metrics)
    {
        var json = new JsonObject();
        foreach (var (key, value) in metrics.OrderBy(p => p.Key, StringComparer.Ordinal))
            json[key] = double.IsFinite(value) ? JsonValue.Create(value) : JsonValue.Create(value.ToString(CultureInfo.InvariantCulture));
        return json;
    }

    public static IEnumerable<string> NonFiniteKeys(IReadOnlyDictionary<string, double> metrics) =>
        metrics.Where(p => !double.IsFinite(p.Value)).Select(p => p.Key);

    /// <summary>"name=value, …" in name order with 4 significant digits, for log lines.</summary>
    public static string Describe(IReadOnlyDictionary<string, double> metrics) =>
        string.Join(", ", metrics.OrderBy(m => m.Key, StringComparer.Ordinal)
            .Select(m => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{m.Key}={m.Value:G4}")));
}
