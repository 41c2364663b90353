using Determinant.Master.Domain;
using Determinant.Config;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Master.Experiments;
using Determinant.Searchers;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Controller;

/// <summary>
/// The searcher's persistence (REFERENCE.md §3.1: saved with every change, so a restart replays nothing): the latest
/// snapshot on the experiment row, and one <c>searcher_journal</c> row per event handled since.
/// </summary>
internal sealed partial class ExperimentSession
{
    /// <summary>The searcher as this session leaves it, for the cache; null when none was loaded or the experiment ended.</summary>
    public Searcher? LoadedSearcher => States.IsTerminal(Experiment.State) ? null : _searcher;

    /// <summary>Restores the experiment's searcher from its snapshot and journal; null before the search started.</summary>
    public static async Task<Searcher?> RestoreSearcherAsync(
        MasterDbContext db, ExperimentEntity experiment, ExperimentConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(config);
        if (experiment.SearcherSnapshot is not { } snapshot)
            return null;
        var lines = await db.SearcherJournal.AsNoTracking().Where(j => j.ExperimentId == experiment.Id).OrderBy(j => j.Seq)
            .Select(j => j.Line).ToListAsync(cancellationToken).ConfigureAwait(false);
        return Searcher.Restore(snapshot, lines, config.Searcher, config.Hyperparameters);
    }

    /// <summary>
    /// Stages the searcher's save in this session's transaction: a fresh snapshot replaces the stored one and clears the
    /// journal; otherwise the session's events are appended, one row each. An ended experiment drops both.
    /// </summary>
    public async Task SaveSearcherAsync(CancellationToken cancellationToken)
    {
        if (_searcherDropped)
        {
            await ClearJournalAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        if (_searcher is null || States.IsTerminal(Experiment.State))
            return;
        var save = _searcher.Save();
        if (save.Snapshot is { } snapshot)
        {
            Experiment.SearcherSnapshot = snapshot;
            await ClearJournalAsync(cancellationToken).ConfigureAwait(false);
        }
        foreach (var line in save.JournalLines)
            Db.SearcherJournal.Add(new SearcherJournalEntity { ExperimentId = Experiment.Id, Seq = Experiment.SearcherJournalNextSeq++, Line = line });
    }

    // Every stored line predates the snapshot being saved: the lines of this session are added after the delete.
    private Task<int> ClearJournalAsync(CancellationToken cancellationToken) =>
        Db.SearcherJournal.Where(j => j.ExperimentId == Experiment.Id).ExecuteDeleteAsync(cancellationToken);
}
