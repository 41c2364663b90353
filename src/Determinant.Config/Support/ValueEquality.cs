using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace Determinant.Config;

/// <summary>
/// Content equality for the members that records compare by reference (immutable arrays, dictionaries, JSON nodes),
/// so that a config equals itself after a JSON round trip.
/// </summary>
internal static class ValueEquality
{
    /// <summary>Element-wise; a default array equals an empty one.</summary>
    public static bool Sequence<T>(ImmutableArray<T> a, ImmutableArray<T> b)
    {
        var left = a.IsDefault ? [] : a;
        var right = b.IsDefault ? [] : b;
        return left.SequenceEqual(right, EqualityComparer<T>.Default);
    }

    public static bool Json(JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(a, b);

    public static bool JsonSequence(ImmutableArray<JsonNode?> a, ImmutableArray<JsonNode?> b)
    {
        var left = a.IsDefault ? [] : a;
        var right = b.IsDefault ? [] : b;
        if (left.Length != right.Length)
            return false;
        for (var i = 0; i < left.Length; i++)
        {
            if (!JsonNode.DeepEquals(left[i], right[i]))
                return false;
        }
        return true;
    }

    public static bool Map<TValue>(ImmutableSortedDictionary<string, TValue> a, ImmutableSortedDictionary<string, TValue> b)
    {
        if (ReferenceEquals(a, b))
            return true;
        if (a.Count != b.Count)
            return false;
        var comparer = EqualityComparer<TValue>.Default;
        foreach (var (key, value) in a)
        {
            if (!b.TryGetValue(key, out var other) || !comparer.Equals(value, other))
                return false;
        }
        return true;
    }

    /// <summary>A hash that agrees with <see cref="Json"/>: equal trees have equal kinds, whatever their number spelling.</summary>
    public static int JsonHash(JsonNode? node) => node is null ? 0 : (int)node.GetValueKind() * 31 + node switch
    {
        JsonObject o => o.Count,
        JsonArray a => a.Count,
        _ => 0,
    };
}
