using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Determinant.Config.Binding;

/// <summary>Reads typed values out of JSON nodes, whether they came from YAML (typed values) or from JSON text (elements).</summary>
internal static class NodeValues
{
    public static bool TryGetString(JsonNode? node, out string value)
    {
        value = "";
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.TryGetValue(out value!);
    }

    public static bool TryGetBool(JsonNode? node, out bool value)
    {
        var kind = node is JsonValue v ? v.GetValueKind() : JsonValueKind.Undefined;
        value = kind == JsonValueKind.True;
        return kind is JsonValueKind.True or JsonValueKind.False;
    }

    /// <summary>Reads a number; false for anything else.</summary>
    public static bool TryGetNumber(JsonNode? node, out double value)
    {
        value = 0;
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number)
            return false;
        if (v.TryGetValue(out value))
            return true;
        if (v.TryGetValue(out long whole))
        {
            value = whole;
            return true;
        }
        return false;
    }

    /// <summary>Reads a whole number; <c>4.0</c> counts, <c>4.5</c> does not.</summary>
    public static bool TryGetInteger(JsonNode? node, out long value)
    {
        value = 0;
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number)
            return false;
        if (v.TryGetValue(out value))
            return true;
        if (TryGetNumber(v, out var real) && Math.Floor(real) == real && Math.Abs(real) < 9.2e18)
        {
            value = (long)real;
            return true;
        }
        return false;
    }

    /// <summary>A short rendering of a value for messages.</summary>
    public static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "a list",
        JsonValue v when TryGetString(v, out var s) => $"\"{s}\"",
        _ => node.ToJsonString(),
    };

    public static string QuoteAll(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"\"{n}\""));

    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
