using System.Text;

namespace Determinant.Cli.Output;

/// <summary>
/// Renders rows as Determined's CLI does ("presto" style): <c> col | col </c> cells, a <c>-+-</c> header rule, no outer border.
/// </summary>
internal sealed class PrestoTable(IReadOnlyList<string> headers, IReadOnlyList<bool>? rightAligned = null)
{
    private readonly List<string[]> _rows = [];

    public PrestoTable Add(params string[] cells)
    {
        if (cells.Length != headers.Count)
            throw new ArgumentException($"a row needs {headers.Count} cells, got {cells.Length}", nameof(cells));
        _rows.Add(cells);
        return this;
    }

    public override string ToString()
    {
        var widths = headers.Select((h, i) => _rows.Select(r => r[i].Length).Prepend(h.Length).Max()).ToArray();
        var text = new StringBuilder();
        AppendLine(text, headers, widths);
        text.AppendJoin('+', widths.Select(w => new string('-', w + 2))).Append('\n');
        foreach (var row in _rows)
            AppendLine(text, row, widths);
        return text.ToString();
    }

    private void AppendLine(StringBuilder text, IReadOnlyList<string> cells, int[] widths)
    {
        var line = new StringBuilder();
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0)
                line.Append('|');
            // Right-aligned columns (numbers) align their header the same way.
            var right = rightAligned is not null && rightAligned[i];
            line.Append(' ').Append(right ? cells[i].PadLeft(widths[i]) : cells[i].PadRight(widths[i])).Append(' ');
        }
        text.Append(line.ToString().TrimEnd()).Append('\n');
    }
}
