using System.Globalization;

namespace Determinant.Agent.Sandbox;

/// <summary>Byte counts as the agent's <c>task_memory_limit</c> writes them: <c>1073741824</c>, <c>512Mi</c>, <c>4G</c> (units count in powers of 1024).</summary>
internal static class ByteSizeText
{
    private const string Units = "KMGTP";

    public static long? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var trimmed = text.Trim();
        var end = trimmed.Length;
        if (end > 0 && trimmed[end - 1] is 'B' or 'b')
            end--;
        if (end > 0 && trimmed[end - 1] is 'i' or 'I')
            end--;
        var power = end > 0 && Units.IndexOf(char.ToUpperInvariant(trimmed[end - 1])) is var unit and >= 0 ? unit + 1 : 0;
        var number = trimmed[..(power > 0 ? end - 1 : end)];
        return long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? checked(value * (long)Math.Pow(1024, power)) : null;
    }

    /// <summary>The largest unit that divides evenly: <c>256 MiB</c>, <c>1536 KiB</c>, <c>100 bytes</c>.</summary>
    public static string Format(long bytes)
    {
        for (var power = Units.Length; power > 0; power--)
        {
            var unit = (long)Math.Pow(1024, power);
            if (bytes % unit == 0)
                return string.Create(CultureInfo.InvariantCulture, $"{bytes / unit} {Units[power - 1]}iB");
        }
        return string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes");
    }
}
