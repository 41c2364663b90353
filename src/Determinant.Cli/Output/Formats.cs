using System.Globalization;
using System.Text.Json.Nodes;

namespace Determinant.Cli.Output;

/// <summary>How values read in tables (REFERENCE.md §6.1): UTC times, one-decimal percentages, 1024-based sizes.</summary>
internal static class Formats
{
    public static string Time(DateTime? time) => time is { } t
        ? DateTime.SpecifyKind(t, t.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : t.Kind).ToUniversalTime()
            .ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "+0000"
        : "";

    /// <summary>A fraction (0..1) as <c>37.5%</c>.</summary>
    public static string Progress(double fraction) => (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    public static string Size(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB", "PB"];
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return value.ToString("0.0", CultureInfo.InvariantCulture) + units[unit];
    }

    public static string Number(double? value) => value is { } v ? v.ToString("G6", CultureInfo.InvariantCulture) : "";

    public static string Json(JsonNode? node) => node?.ToJsonString() ?? "";

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);
}
