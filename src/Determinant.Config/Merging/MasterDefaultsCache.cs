using System.Text.Json.Nodes;
using Determinant.Config.Binding;

namespace Determinant.Config.Merging;

/// <summary>
/// Keeps the parsed form of the last master-defaults text: every create in a master uses the same text, so parsing it
/// once matters to the per-config cost. Callers get a copy, so the cached tree is never changed or shared.
/// </summary>
internal static class MasterDefaultsCache
{
    private const string Label = "<master defaults>";

    private static Entry? _last;

    public static JsonObject? Get(string text, ConfigDiagnostics diagnostics)
    {
        var last = _last;
        if (last is not null && (ReferenceEquals(last.Text, text) || last.Text == text))
            return (JsonObject)last.Tree.DeepClone();
        var tree = ExperimentConfigLoader.ReadObject(text, Label, diagnostics);
        if (tree is not null)
            _last = new Entry(text, (JsonObject)tree.DeepClone());
        return tree;
    }

    private sealed record Entry(string Text, JsonObject Tree);
}
