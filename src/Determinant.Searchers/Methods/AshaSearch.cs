using System.Text.Json;
using Determinant.Config;

namespace Determinant.Searchers.Methods;

/// <summary>
/// <c>adaptive_asha</c> and <c>async_halving</c>: independent ASHA brackets (one for async_halving) whose initial
/// operations are concatenated and whose events go to the bracket that created the trial (REFERENCE.md §3.6).
/// </summary>
internal sealed class AshaSearch : ISearchMethod
{
    private readonly AshaBracket[] _brackets;

    public AshaSearch(SearcherConfig config)
    {
        Name = config.Name;
        var (maxLength, divisor, stopOnce) = config switch
        {
            AdaptiveAshaSearcherConfig a => (a.MaxLength.Units, a.Divisor, a.StopOnce),
            AsyncHalvingSearcherConfig a => (a.MaxLength.Units, a.Divisor, a.StopOnce),
            _ => throw new ArgumentException($"{config.Name} is not an ASHA searcher", nameof(config)),
        };
        if (!(divisor > 1))
            throw new ArgumentException($"divisor must be > 1, got {divisor}", nameof(config));
        _brackets = AshaMath.Plan(config)
            .Select(p => p.Rungs >= 1 && p.Trials >= 1
                ? new AshaBracket(p.Rungs, p.Trials, p.MaxConcurrent, divisor, maxLength, stopOnce)
                : throw new ArgumentException($"a bracket needs >= 1 rung and >= 1 trial, got {p}", nameof(config)))
            .ToArray();
    }

    public string Name { get; }

    public void InitialOperations(SearchState state, List<SearcherOperation> ops)
    {
        foreach (var bracket in _brackets)
            bracket.InitialOperations(state, ops);
    }

    public void TrialCreated(SearchState state, RequestId id, List<SearcherOperation> ops) => BracketOf(id).TrialCreated(id, ops);

    public void ValidationCompleted(SearchState state, RequestId id, double metric, ValidateAfter op, List<SearcherOperation> ops) =>
        BracketOf(id).ValidationCompleted(state, id, metric, ops);

    public void TrialExitedEarly(SearchState state, RequestId id, ExitedReason reason, List<SearcherOperation> ops) =>
        BracketOf(id).TrialExitedEarly(state, id, reason, ops);

    public void TrialClosed(SearchState state, RequestId id, List<SearcherOperation> ops)
    {
    }

    public double Progress(SearchState state)
    {
        var sum = 0.0;
        foreach (var bracket in _brackets)
            sum += bracket.Progress();
        return sum / _brackets.Length;
    }

    public void WriteState(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("brackets");
        foreach (var bracket in _brackets)
            bracket.WriteState(writer);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public void ReadState(JsonElement element)
    {
        var brackets = element.GetProperty("brackets");
        if (brackets.GetArrayLength() != _brackets.Length)
            throw new FormatException($"the snapshot has {brackets.GetArrayLength()} brackets, the config gives {_brackets.Length}");
        var i = 0;
        foreach (var bracket in brackets.EnumerateArray())
            _brackets[i++].ReadState(bracket);
    }

    private AshaBracket BracketOf(RequestId id)
    {
        foreach (var bracket in _brackets)
        {
            if (bracket.Owns(id))
                return bracket;
        }
        throw new ArgumentException($"unknown request id {id}", nameof(id));
    }
}
