namespace Determinant.Master.Data.Entities;

/// <summary>
/// One searcher event handled after the experiment's stored snapshot, as a journal line; a restore replays the lines in
/// <see cref="Seq"/> order on top of the snapshot. Appending one row per event keeps saving O(1) on every provider.
/// </summary>
public sealed class SearcherJournalEntity
{
    public int ExperimentId { get; set; }

    /// <summary>The line's position among all the experiment's lines ever written (never reused).</summary>
    public long Seq { get; set; }

    public required string Line { get; set; }
}
