using System.Text.Json;

namespace Determinant.Searchers.Methods;

/// <summary>
/// <c>random</c>, and <c>single</c> as random with one trial (REFERENCE.md §3.3): keep up to the concurrency limit of
/// independent samples running, each trained to the full length, until <c>max_trials</c> have been created.
/// </summary>
internal sealed class RandomSearch(string name, int maxTrials, int maxConcurrent, ulong maxLength, bool replaceInvalid) : ISearchMethod
{
    // Creates that count toward max_trials: INVALID_HP trials give their place back (random only).
    private int _created;

    public string Name => name;

    public void InitialOperations(SearchState state, List<SearcherOperation> ops)
    {
        var initial = maxConcurrent == 0 ? maxTrials : Math.Min(maxTrials, maxConcurrent);
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
        // No early stopping: the Close queued behind the only operation takes effect now.
    }

    public void TrialExitedEarly(SearchState state, RequestId id, ExitedReason reason, List<SearcherOperation> ops)
    {
        if (reason == ExitedReason.InvalidHp && replaceInvalid)
            _created--;
    }

    public void TrialClosed(SearchState state, RequestId id, List<SearcherOperation> ops)
    {
        if (_created < maxTrials)
            Create(state, ops);
    }

    public double Progress(SearchState state) => maxLength == 0
        ? (double)state.ClosedValidCount / maxTrials
        : ((state.ClosedValidCount * (double)maxLength) + state.OpenUnits) / ((double)maxLength * maxTrials);

    public void WriteState(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteNumber("created", _created);
        writer.WriteEndObject();
    }

    public void ReadState(JsonElement element) => _created = element.GetProperty("created").GetInt32();

    private void Create(SearchState state, List<SearcherOperation> ops)
    {
        state.NewTrial(ops);
        _created++;
    }
}
