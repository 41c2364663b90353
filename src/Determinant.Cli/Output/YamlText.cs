using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Determinant.Cli.Output;

/// <summary>Writes a JSON tree as block-style YAML, the way configs are shown back to users; null fields are left out.</summary>
internal static class YamlText
{
    public static string Write(JsonObject obj)
    {
        var text = new StringBuilder();
        WriteObject(text, obj, indent: 0);
        return text.ToString();
    }

    private static void WriteObject(StringBuilder text, JsonObject obj, int indent)
    {
        foreach (var (key, value) in obj.Where(p => p.Value is not null))
        {
            text.Append(' ', indent).Append(key).Append(':');
            if (value is JsonObject child && child.Count > 0)
            {
                text.Append('\n');
                WriteObject(text, child, indent + 2);
            }
            else
            {
                text.Append(' ').Append(Flow(value)).Append('\n');
            }
        }
    }

    /// <summary>A value on one line: scalars plain or quoted, lists and empty maps in flow style.</summary>
    private static string Flow(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject obj => "{" + string.Join(", ", obj.Select(p => $"{p.Key}: {Flow(p.Value)}")) + "}",
        JsonArray list => "[" + string.Join(", ", list.Select(Flow)) + "]",
        JsonValue scalar => Scalar(scalar),
        _ => value.ToJsonString(),
    };

    private static string Scalar(JsonValue scalar) => scalar.GetValueKind() switch
    {
        JsonValueKind.String => PlainOrQuoted(scalar.GetValue<string>()),
        _ => scalar.ToJsonString(),
    };

    private static string PlainOrQuoted(string s)
    {
        var plain = s.Length > 0
            && !double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            && s is not ("true" or "false" or "null" or "~" or "yes" or "no")
            && s.All(c => char.IsLetterOrDigit(c) || c is '_' or '-' or '.' or '/' or ' ')
            && s[0] != ' ' && s[^1] != ' ' && s[0] != '-';
        return plain ? s : JsonSerializer.Serialize(s);
    }
}
