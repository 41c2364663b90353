using System.Text.Json.Nodes;

namespace Determinant.Config.Binding;

/// <summary>Reads Lengths (REFERENCE.md §2.4): <c>{batches|records|epochs: n}</c>, or a bare integer for searcher lengths.</summary>
internal static class LengthBinder
{
    private const string OneUnit = "a length object must have exactly one key, \"batches\", \"records\" or \"epochs\"";

    public static Length? Bind(Section section, string key, BindContext context, bool searcherLength, bool required = false)
    {
        var node = section.Get(key);
        if (node is null)
        {
            if (required)
                section.Missing(key);
            return null;
        }
        var path = section.PathOf(key);
        var length = Read(node, path, searcherLength, context.Diagnostics);
        if (length is { } found)
            context.Lengths.Add((found, path, searcherLength));
        return length;
    }

    private static Length? Read(JsonNode node, string path, bool allowUnitless, ConfigDiagnostics diagnostics)
    {
        if (node is JsonValue && allowUnitless)
            return Values.Integer(node, path, diagnostics, min: 0) is { } bare ? Length.Unitless((ulong)bare) : null;
        if (node is not JsonObject units)
        {
            var expected = allowUnitless ? "an integer or a length object" : "a length object";
            diagnostics.Error(path, $"must be {expected} such as {{batches: 100}}, not {NodeValues.Describe(node)}");
            return null;
        }
        JsonNode? amount = null;
        var unit = LengthUnit.Unitless;
        var given = 0;
        foreach (var (name, value) in units)
        {
            if (value is null)
                continue;
            given++;
            unit = name switch
            {
                "batches" => LengthUnit.Batches,
                "records" => LengthUnit.Records,
                "epochs" => LengthUnit.Epochs,
                _ => LengthUnit.Unitless,
            };
            amount = value;
        }
        if (given != 1 || unit == LengthUnit.Unitless)
        {
            var keys = string.Join(", ", units.Select(p => p.Key));
            diagnostics.Error(path, $"{OneUnit} (got {(keys.Length == 0 ? "none" : keys)})");
            return null;
        }
        var unitName = new Length(unit, 0).UnitName!;
        return Values.Integer(amount!, $"{path}.{unitName}", diagnostics, min: 0) is { } n ? new Length(unit, (ulong)n) : null;
    }
}
