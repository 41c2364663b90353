namespace Determinant.Cli.Output;

/// <summary>Headers and rows that print as a presto table or, with <c>--csv</c>, as CSV.</summary>
internal sealed class Table(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public Table Add(params string[] cells)
    {
        _rows.Add(cells);
        return this;
    }

    public string Render(bool csv)
    {
        if (csv)
            return CsvText.Of(headers, _rows);
        var table = new PrestoTable(headers);
        foreach (var row in _rows)
            table.Add(row);
        return table.ToString();
    }
}
