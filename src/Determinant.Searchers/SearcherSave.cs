namespace Determinant.Searchers;

/// <summary>
/// What to persist after the latest events (<see cref="Searcher.Save"/>): either a full snapshot that replaces
/// everything stored so far, or journal lines to append after what is stored.
/// </summary>
/// <param name="Snapshot">When not null: replace the stored snapshot with this and clear the stored journal.</param>
/// <param name="JournalLines">Lines to append to the stored journal, oldest first (empty with a snapshot).</param>
public sealed record SearcherSave(string? Snapshot, IReadOnlyList<string> JournalLines);
