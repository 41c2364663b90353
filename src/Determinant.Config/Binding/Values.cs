using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace Determinant.Config.Binding;

/// <summary>Checks on single values that are not object members (list items), shared with <see cref="Section"/>.</summary>
internal static class Values
{
    public static long? Integer(JsonNode value, string path, ConfigDiagnostics diagnostics, long min = long.MinValue, long max = long.MaxValue)
    {
        if (!NodeValues.TryGetInteger(value, out var number))
        {
            diagnostics.Error(path, $"must be an integer, not {NodeValues.Describe(value)}");
            return null;
        }
        if (number < min)
        {
            diagnostics.Error(path, $"must be >= {NodeValues.Format(min)}");
            return null;
        }
        if (number > max)
        {
            diagnostics.Error(path, $"must be <= {NodeValues.Format(max)}");
            return null;
        }
        return number;
    }

    public static double? Number(JsonNode value, string path, ConfigDiagnostics diagnostics, double min, double max, bool minExclusive)
    {
        if (!NodeValues.TryGetNumber(value, out var number))
        {
            diagnostics.Error(path, $"must be a number, not {NodeValues.Describe(value)}");
            return null;
        }
        if (minExclusive ? number <= min : number < min)
        {
            diagnostics.Error(path, $"must be {(minExclusive ? ">" : ">=")} {NodeValues.Format(min)}");
            return null;
        }
        if (number > max)
        {
            diagnostics.Error(path, $"must be <= {NodeValues.Format(max)}");
            return null;
        }
        return number;
    }

    public static ImmutableArray<string> Strings(JsonArray list, string path, ConfigDiagnostics diagnostics)
    {
        var result = ImmutableArray.CreateBuilder<string>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            if (NodeValues.TryGetString(list[i], out var text))
                result.Add(text);
            else
                diagnostics.Error($"{path}[{i}]", $"must be a string, not {NodeValues.Describe(list[i])}");
        }
        return result.DrainToImmutable();
    }
}
