using System.Text;

namespace Determinant.Cli.Output;

/// <summary>Rows as RFC 4180 CSV: a header line, then one line per row; cells with commas, quotes or newlines are quoted.</summary>
internal static class CsvText
{
    public static string Of(IReadOnlyList<string> headers, IEnumerable<string[]> rows)
    {
        var text = new StringBuilder();
        Line(text, headers);
        foreach (var row in rows)
            Line(text, row);
        return text.ToString();
    }

    private static void Line(StringBuilder text, IReadOnlyList<string> cells)
    {
        text.AppendJoin(',', cells.Select(c => c.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + c.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : c));
        text.Append('\n');
    }
}
