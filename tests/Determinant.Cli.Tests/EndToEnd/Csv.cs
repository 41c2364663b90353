using System.Text;

namespace Determinant.Cli.Tests.EndToEnd;

/// <summary>Reads the <c>--csv</c> output of <c>det</c> (RFC 4180 quoting) into rows keyed by header.</summary>
internal static class Csv
{
    public static IReadOnlyList<Dictionary<string, string>> Parse(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.NotEmpty(lines);
        var header = Fields(lines[0]);
        return [.. lines.Skip(1).Select(Fields).Select(f => header.Zip(f).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal))];
    }

    private static List<string> Fields(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"')
            {
                field.Append('"');
                i++;
            }
            else if (c == '"')
                quoted = !quoted;
            else if (c == ',' && !quoted)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
                field.Append(c);
        }
        fields.Add(field.ToString());
        return fields;
    }
}
