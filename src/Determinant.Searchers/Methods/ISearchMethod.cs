using System.Text.Json;

namespace Determinant.Searchers.Methods;

/// <summary>
/// One search method's own rules. The shared bookkeeping of §3.1 (trial flags, progress units, the shutdown rule)
/// happens in <see cref="Searcher"/> before and after these calls, so a method only appends its operations.
/// </summary>
internal interface ISearchMethod
{
    /// <summary>The config name this state belongs to; a snapshot of another method is refused.</summary>
    string Name { get; }

    void InitialOperations(SearchState state, List<SearcherOperation> ops);

    void TrialCreated(SearchState state, RequestId id, List<SearcherOperation> ops);

    void ValidationCompleted(SearchState state, RequestId id, double metric, ValidateAfter op, List<SearcherOperation> ops);

    void TrialExitedEarly(SearchState state, RequestId id, ExitedReason reason, List<SearcherOperation> ops);

    void TrialClosed(SearchState state, RequestId id, List<SearcherOperation> ops);

    /// <summary>Progress in [0, 1] by the method's formula (§3.8); the caller keeps it from decreasing.</summary>
    double Progress(SearchState state);

    void WriteState(Utf8JsonWriter writer);

    void ReadState(JsonElement element);
}
