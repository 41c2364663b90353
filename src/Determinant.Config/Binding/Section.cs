using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace Determinant.Config.Binding;

/// <summary>
/// One object of the config being read, with its path. Getters report type and range errors and return null for a
/// missing key, a <c>null</c> value (null means "not given") or a bad value, so callers fall back to the default.
/// </summary>
internal readonly struct Section(JsonObject? node, string path, ConfigDiagnostics diagnostics)
{
    public JsonObject? Node => node;

    public string Path => path;

    public ConfigDiagnostics Diagnostics => diagnostics;

    public bool IsPresent => node is not null;

    /// <summary>Opens <paramref name="value"/> as an object; an absent section when it is missing, null or not an object.</summary>
    public static Section Of(JsonNode? value, string path, ConfigDiagnostics diagnostics)
    {
        if (value is null or JsonObject)
            return new Section(value as JsonObject, path, diagnostics);
        diagnostics.Error(path, $"must be an object, not {NodeValues.Describe(value)}");
        return new Section(null, path, diagnostics);
    }

    public string PathOf(string key) => $"{path}.{key}";

    public JsonNode? Get(string key) => node?[key];

    public bool Has(string key) => Get(key) is not null;

    public void Missing(string key) => diagnostics.Error(path, $"{key} is required");

    public void RejectUnknown(IReadOnlySet<string> allowed)
    {
        if (node is null)
            return;
        foreach (var (key, _) in node)
        {
            if (!allowed.Contains(key))
                diagnostics.Error(path, $"unknown property \"{key}\" is not allowed");
        }
    }

    public Section Object(string key) => Of(Get(key), PathOf(key), diagnostics);

    public string? String(string key, bool required = false)
    {
        var value = Get(key);
        if (value is null)
        {
            if (required)
                Missing(key);
            return null;
        }
        if (NodeValues.TryGetString(value, out var text))
            return text;
        diagnostics.Error(PathOf(key), $"must be a string, not {NodeValues.Describe(value)}");
        return null;
    }

    public bool? Bool(string key)
    {
        var value = Get(key);
        if (value is null)
            return null;
        if (NodeValues.TryGetBool(value, out var flag))
            return flag;
        diagnostics.Error(PathOf(key), $"must be true or false, not {NodeValues.Describe(value)}");
        return null;
    }

    public long? Integer(string key, long min = long.MinValue, long max = long.MaxValue, bool required = false)
    {
        var value = Get(key);
        if (value is null)
        {
            if (required)
                Missing(key);
            return null;
        }
        return Values.Integer(value, PathOf(key), diagnostics, min, max);
    }

    public int? Int(string key, int min = int.MinValue, int max = int.MaxValue, bool required = false) =>
        (int?)Integer(key, min, max, required);

    public double? Number(string key, double min = double.NegativeInfinity, double max = double.PositiveInfinity, bool minExclusive = false, bool required = false)
    {
        var value = Get(key);
        if (value is null)
        {
            if (required)
                Missing(key);
            return null;
        }
        return Values.Number(value, PathOf(key), diagnostics, min, max, minExclusive);
    }

    public JsonArray? Array(string key)
    {
        var value = Get(key);
        if (value is null or JsonArray)
            return value as JsonArray;
        diagnostics.Error(PathOf(key), $"must be a list, not {NodeValues.Describe(value)}");
        return null;
    }

    public ImmutableArray<string>? Strings(string key)
    {
        var list = Array(key);
        return list is null ? null : Values.Strings(list, PathOf(key), diagnostics);
    }

    /// <summary>Reads one of a fixed set of names; the message lists them.</summary>
    public T? Choice<T>(string key, IReadOnlyList<(string Name, T Value)> choices)
        where T : struct
    {
        var text = String(key);
        if (text is null)
            return null;
        foreach (var (name, choice) in choices)
        {
            if (name == text)
                return choice;
        }
        diagnostics.Error(PathOf(key), $"must be one of {NodeValues.QuoteAll(choices.Select(c => c.Name))}, not \"{text}\"");
        return null;
    }

    /// <summary>Reads a raw object kept as it is (a free-form or accepted-and-ignored section); the result is detached.</summary>
    public JsonObject? RawObject(string key)
    {
        var value = Get(key);
        if (value is null)
            return null;
        if (value is JsonObject obj)
            return (JsonObject)obj.DeepClone();
        diagnostics.Error(PathOf(key), $"must be an object, not {NodeValues.Describe(value)}");
        return null;
    }
}
