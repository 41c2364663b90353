using System.Globalization;
using System.Text.RegularExpressions;

namespace Determinant.Config;

/// <summary>Reads <c>resources.shm_size</c>: a byte count, or a number with a unit such as <c>1.5 gb</c> or <c>512MiB</c>.</summary>
internal static partial class ShmSizeParser
{
    public static bool IsValid(string text) => Pattern().IsMatch(text);

    /// <summary>Bytes; units count in powers of 1024, as container runtimes read them. Null when the text is not valid.</summary>
    public static long? ToBytes(string text)
    {
        var match = Pattern().Match(text);
        if (!match.Success)
            return null;
        var number = double.Parse(match.Groups["number"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        var unit = match.Groups["unit"].Value;
        var power = unit.Length == 0 ? 0 : "bkmgtp".IndexOf(char.ToLowerInvariant(unit[0]));
        return (long)(number * Math.Pow(1024, power));
    }

    // REFERENCE.md §2.6; named groups added, the accepted language is unchanged.
    [GeneratedRegex("^(?<number>([0-9]*[.])?[0-9]+) ?(?<unit>([kmgtpKMGTP]([iI]?[bB])?)|[bB])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
