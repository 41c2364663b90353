using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace Determinant.Config.Binding;

/// <summary>Reads the <c>hyperparameters</c> map (REFERENCE.md §2.3).</summary>
/// <remarks>
/// An object is a typed hyperparameter when it has a string <c>type</c>, and a nested map otherwise. A scalar, a list
/// or null is a constant: here null is a value, not "not given".
/// </remarks>
internal static class HyperparameterBinder
{
    private static readonly string[] TypeNames = ["const", "int", "double", "log", "categorical"];
    private static readonly FrozenSet<string> ConstKeys = FrozenSet.Create(StringComparer.Ordinal, "type", "val");
    private static readonly FrozenSet<string> RangeKeys = FrozenSet.Create(StringComparer.Ordinal, "type", "minval", "maxval", "count");
    private static readonly FrozenSet<string> LogKeys = FrozenSet.Create(StringComparer.Ordinal, "type", "minval", "maxval", "base", "count");
    private static readonly FrozenSet<string> CategoricalKeys = FrozenSet.Create(StringComparer.Ordinal, "type", "vals");

    public static ImmutableSortedDictionary<string, Hyperparameter> BindMap(JsonNode? node, string path, ConfigDiagnostics diagnostics)
    {
        var result = ImmutableSortedDictionary.CreateBuilder<string, Hyperparameter>(StringComparer.Ordinal);
        if (node is null)
            return result.ToImmutable();
        if (node is not JsonObject map)
        {
            diagnostics.Error(path, $"must be a map of names to hyperparameters, not {NodeValues.Describe(node)}");
            return result.ToImmutable();
        }
        foreach (var (name, value) in map)
        {
            if (Bind(value, $"{path}.{name}", diagnostics) is { } hyperparameter)
                result[name] = hyperparameter;
        }
        return result.ToImmutable();
    }

    private static Hyperparameter? Bind(JsonNode? node, string path, ConfigDiagnostics diagnostics)
    {
        if (node is not JsonObject obj)
            return new ConstHyperparameter(node?.DeepClone());
        var type = obj["type"];
        if (type is null)
            return new NestedHyperparameter(BindMap(obj, path, diagnostics));
        if (!NodeValues.TryGetString(type, out var typeName))
        {
            diagnostics.Error($"{path}.type", $"must be a string naming the hyperparameter type, not {NodeValues.Describe(type)}");
            return null;
        }
        var section = new Section(obj, path, diagnostics);
        switch (typeName)
        {
            case "const":
                section.RejectUnknown(ConstKeys);
                if (obj.ContainsKey("val"))
                    return new ConstHyperparameter(obj["val"]?.DeepClone());
                section.Missing("val");
                return null;
            case "int":
                return BindInt(section);
            case "double":
                return BindDouble(section);
            case "log":
                return BindLog(section);
            case "categorical":
                return BindCategorical(section);
            default:
                diagnostics.Error(path, $"type \"{typeName}\" is not a hyperparameter type; must be one of {NodeValues.QuoteAll(TypeNames)}");
                return null;
        }
    }

    private static IntHyperparameter? BindInt(Section section)
    {
        section.RejectUnknown(RangeKeys);
        var min = section.Integer("minval", required: true);
        var max = section.Integer("maxval", required: true);
        var count = section.Int("count", min: 1);
        if (min is null || max is null || !Ordered(section, min.Value, max.Value))
            return null;
        return new IntHyperparameter(min.Value, max.Value, count);
    }

    private static DoubleHyperparameter? BindDouble(Section section)
    {
        section.RejectUnknown(RangeKeys);
        var min = section.Number("minval", required: true);
        var max = section.Number("maxval", required: true);
        var count = section.Int("count", min: 1);
        if (min is null || max is null || !Ordered(section, min.Value, max.Value))
            return null;
        return new DoubleHyperparameter(min.Value, max.Value, count);
    }

    private static LogHyperparameter? BindLog(Section section)
    {
        section.RejectUnknown(LogKeys);
        var min = section.Number("minval", required: true);
        var max = section.Number("maxval", required: true);
        var logBase = section.Number("base", min: 0, minExclusive: true, required: true);
        var count = section.Int("count", min: 1);
        if (min is null || max is null || logBase is null || !Ordered(section, min.Value, max.Value))
            return null;
        return new LogHyperparameter(min.Value, max.Value, logBase.Value, count);
    }

    private static CategoricalHyperparameter? BindCategorical(Section section)
    {
        section.RejectUnknown(CategoricalKeys);
        var vals = section.Array("vals");
        if (vals is null)
        {
            if (!section.Has("vals"))
                section.Missing("vals");
            return null;
        }
        if (vals.Count == 0)
        {
            section.Diagnostics.Error(section.PathOf("vals"), "must list at least one value");
            return null;
        }
        return new CategoricalHyperparameter([.. vals.Select(v => v?.DeepClone())]);
    }

    private static bool Ordered(Section section, double min, double max)
    {
        if (min < max)
            return true;
        section.Diagnostics.Error(section.Path, $"minval must be less than maxval (got minval {NodeValues.Format(min)}, maxval {NodeValues.Format(max)})");
        return false;
    }
}
