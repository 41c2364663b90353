using System.Text.Json.Serialization.Metadata;

namespace Determinant.Cli.Output;

/// <summary>What a list command prints: the API objects with <c>--json</c>, else one table row per item (CSV with <c>--csv</c>).</summary>
internal static class ListOutput
{
    public static int Write<T>(TextWriter output, IEnumerable<T> items, JsonTypeInfo<T> type, bool json, bool csv, string[] headers,
        Func<T, string[]> row)
    {
        if (json)
        {
            JsonOutput.Write(output, JsonOutput.Array(items, type));
            return ExitCodes.Success;
        }
        var table = new Table(headers);
        foreach (var item in items)
            table.Add(row(item));
        output.Write(table.Render(csv));
        return ExitCodes.Success;
    }
}
