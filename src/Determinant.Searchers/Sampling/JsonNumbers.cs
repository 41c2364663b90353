using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Determinant.Searchers.Sampling;

/// <summary>Reads a hyperparameter value back as a number, whatever CLR type or parsed element backs the node.</summary>
internal static class JsonNumbers
{
    public static double ToDouble(JsonNode? node, string name)
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number)
        {
            if (value.TryGetValue(out double d))
                return d;
            if (value.TryGetValue(out long l))
                return l;
            // Other CLR number types (int, float, decimal…): their JSON text is exact and round-trips through double.
            return double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        throw new InvalidOperationException($"hyperparameter {name} should be a number, found {node?.ToJsonString() ?? "null"}");
    }
}
