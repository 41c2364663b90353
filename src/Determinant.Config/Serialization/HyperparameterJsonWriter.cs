using System.Collections.Immutable;
using System.Text.Json;

namespace Determinant.Config.Serialization;

/// <summary>Writes hyperparameters in their explicit form (<c>{type: const, val: …}</c> for constants) so null constants survive.</summary>
internal static class HyperparameterJsonWriter
{
    public static void WriteMap(Utf8JsonWriter w, ImmutableSortedDictionary<string, Hyperparameter> map)
    {
        w.WriteStartObject();
        foreach (var (name, hyperparameter) in map)
        {
            w.WritePropertyName(name);
            Write(w, hyperparameter);
        }
        w.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter w, Hyperparameter hyperparameter)
    {
        if (hyperparameter is NestedHyperparameter nested)
        {
            WriteMap(w, nested.Children);
            return;
        }
        w.WriteStartObject();
        switch (hyperparameter)
        {
            case ConstHyperparameter constant:
                w.WriteString("type", "const");
                ConfigJsonWriter.Node(w, "val", constant.Value);
                break;
            case IntHyperparameter range:
                w.WriteString("type", "int");
                w.WriteNumber("minval", range.MinVal);
                w.WriteNumber("maxval", range.MaxVal);
                ConfigJsonWriter.NullableNumber(w, "count", range.Count);
                break;
            case DoubleHyperparameter range:
                w.WriteString("type", "double");
                w.WriteNumber("minval", range.MinVal);
                w.WriteNumber("maxval", range.MaxVal);
                ConfigJsonWriter.NullableNumber(w, "count", range.Count);
                break;
            case LogHyperparameter range:
                w.WriteString("type", "log");
                w.WriteNumber("minval", range.MinVal);
                w.WriteNumber("maxval", range.MaxVal);
                w.WriteNumber("base", range.Base);
                ConfigJsonWriter.NullableNumber(w, "count", range.Count);
                break;
            case CategoricalHyperparameter choice:
                w.WriteString("type", "categorical");
                w.WriteStartArray("vals");
                foreach (var value in choice.Vals)
                    ConfigJsonWriter.Value(w, value);
                w.WriteEndArray();
                break;
            default:
                throw new InvalidOperationException($"unknown hyperparameter {hyperparameter.GetType().Name}");
        }
        w.WriteEndObject();
    }
}
