using System.Text.Json;
using Determinant.Searchers.Sampling;

namespace Determinant.Searchers.Methods;

/// <summary>
/// <c>grid</c> (REFERENCE.md §3.4): every grid point once, taken from the end of the product list, keeping up to the
/// concurrency limit running. Invalid-HP points are not retried.
/// </summary>
internal sealed class GridSearch(HyperparameterGrid grid, int maxConcurrent, ulong maxLength) : ISearchMethod
{
    // Points are handed out LIFO, so the next one is grid[Count − 1 − _taken]; the grid itself is rebuilt from the config.
    private int _taken;

    public string Name => "grid";

    public void InitialOperations(SearchState state, List<SearcherOperation> ops)
    {
        var initial = maxConcurrent == 0 ? grid.Count : Math.Min(grid.Count, maxConcurrent);
        for (var i = 0; i < initial; i++)
            Create(state, ops);
    }

    public void TrialCreated(SearchState state, RequestId id, List<SearcherOperation> ops)
    {
        ops.Add(new ValidateAfter(id, maxLength));
        ops.Add(new CloseTrial(id));
    }

    public void ValidationCompleted(SearchState state, RequestId id, double metric, ValidateAfter op, List<SearcherOperation> ops)
    {
    }

    public void TrialExitedEarly(SearchState state, RequestId id, ExitedReason reason, List<SearcherOperation> ops)
    {
    }

    public void TrialClosed(SearchState state, RequestId id, List<SearcherOperation> ops)
    {
        if (_taken < grid.Count)
            Create(state, ops);
    }

    public double Progress(SearchState state)
    {
        if (grid.Count == 0)
            return 1;
        // Invalid-HP trials count as closed here: they are not replaced, so they use up their grid point.
        return maxLength == 0
            ? (double)state.ClosedCount / grid.Count
            : ((state.ClosedCount * (double)maxLength) + state.OpenUnits) / ((double)maxLength * grid.Count);
    }

    public void WriteState(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteNumber("taken", _taken);
        writer.WriteNumber("grid_size", grid.Count);
        writer.WriteEndObject();
    }

    public void ReadState(JsonElement element)
    {
        if (element.GetProperty("grid_size").GetInt32() != grid.Count)
            throw new FormatException("the snapshot's grid has a different size than the configured hyperparameters give");
        _taken = element.GetProperty("taken").GetInt32();
    }

    private void Create(SearchState state, List<SearcherOperation> ops)
    {
        state.NewTrial(ops, grid.PointAt(grid.Count - 1 - _taken));
        _taken++;
    }
}
