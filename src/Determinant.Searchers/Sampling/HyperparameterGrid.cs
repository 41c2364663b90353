using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Determinant.Config;

namespace Determinant.Searchers.Sampling;

/// <summary>
/// The Cartesian product of the grid axes, first axis varying slowest (REFERENCE.md §3.4). Points are computed from
/// their index, so a large grid is never held in memory.
/// </summary>
internal sealed class HyperparameterGrid
{
    private HyperparameterGrid(ImmutableArray<GridAxis> axes, int count)
    {
        Axes = axes;
        Count = count;
    }

    public ImmutableArray<GridAxis> Axes { get; }

    /// <summary>Number of points; zero when there are no hyperparameters.</summary>
    public int Count { get; }

    /// <exception cref="ArgumentException">A numeric hyperparameter lacks a count, or the grid has more than int.MaxValue points.</exception>
    public static HyperparameterGrid Build(ImmutableSortedDictionary<string, Hyperparameter> space)
    {
        var ordinal = HyperparameterSpace.Ordinal(space);
        // The size comes from the ranges first: a count of 10^8 must be refused before its values are made.
        var count = SizeOf(ordinal, []);
        var axes = ImmutableArray.CreateBuilder<GridAxis>();
        AddAxes(ordinal, [], axes);
        return axes.Count == 0 ? new HyperparameterGrid([], 0) : new HyperparameterGrid(axes.ToImmutable(), (int)count);
    }

    private static long SizeOf(ImmutableSortedDictionary<string, Hyperparameter> space, ImmutableArray<string> prefix)
    {
        long count = 1;
        foreach (var (name, hp) in space)
        {
            var path = prefix.Add(name);
            count *= hp is NestedHyperparameter nested ? SizeOf(nested.Children, path) : GridAxis.SizeOf(hp, string.Join('.', path));
            if (count > int.MaxValue)
                throw new ArgumentException($"the grid has more than {int.MaxValue} points");
        }
        return count;
    }

    /// <summary>The hyperparameters of point <paramref name="index"/> (0-based, in product order).</summary>
    public JsonObject PointAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var picks = new int[Axes.Length];
        var rest = index;
        for (var a = Axes.Length - 1; a >= 0; a--)
        {
            var size = Axes[a].Values.Length;
            picks[a] = rest % size;
            rest /= size;
        }
        var point = new JsonObject();
        for (var a = 0; a < Axes.Length; a++)
            Place(point, Axes[a].Path, Axes[a].Values[picks[a]]?.DeepClone());
        return point;
    }

    private static void AddAxes(ImmutableSortedDictionary<string, Hyperparameter> space, ImmutableArray<string> prefix, ImmutableArray<GridAxis>.Builder axes)
    {
        foreach (var (name, hp) in space)
        {
            var path = prefix.Add(name);
            if (hp is NestedHyperparameter { Children.Count: > 0 } nested)
                AddAxes(nested.Children, path, axes);
            else if (hp is NestedHyperparameter)
                axes.Add(new GridAxis(path, [new JsonObject()]));
            else
                axes.Add(new GridAxis(path, GridAxis.ValuesOf(hp, string.Join('.', path))));
        }
    }

    private static void Place(JsonObject root, ImmutableArray<string> path, JsonNode? value)
    {
        var node = root;
        for (var i = 0; i < path.Length - 1; i++)
        {
            if (node[path[i]] is not JsonObject child)
            {
                child = new JsonObject();
                node[path[i]] = child;
            }
            node = child;
        }
        node[path[^1]] = value;
    }
}
