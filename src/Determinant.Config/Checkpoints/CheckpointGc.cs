namespace Determinant.Config;

/// <summary>The checkpoint garbage-collection rule of REFERENCE.md §4.4 as a pure function; the master applies its result.</summary>
/// <remarks>
/// Survivors are the experiment-wide best N, plus each trial's best N, plus each trial's latest N. A checkpoint with no
/// searcher metric can only survive as one of its trial's latest. Protected checkpoints (warm-start sources, registered
/// models) always survive.
/// </remarks>
public static class CheckpointGc
{
    /// <summary>Returns the checkpoints to delete, in ascending checkpoint id order.</summary>
    /// <param name="checkpoints">Every reported checkpoint of one experiment.</param>
    /// <param name="policy">How many to keep.</param>
    /// <param name="smallerIsBetter">The searcher's direction; the metric is negated when larger is better.</param>
    /// <exception cref="ArgumentOutOfRangeException">A policy count is negative.</exception>
    public static IReadOnlyList<CheckpointGcCandidate> SelectForDeletion(
        IEnumerable<CheckpointGcCandidate> checkpoints, CheckpointGcPolicy policy, bool smallerIsBetter)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfNegative(policy.SaveExperimentBest);
        ArgumentOutOfRangeException.ThrowIfNegative(policy.SaveTrialBest);
        ArgumentOutOfRangeException.ThrowIfNegative(policy.SaveTrialLatest);

        var all = checkpoints.ToList();
        var sign = smallerIsBetter ? 1.0 : -1.0;
        var byMetric = new MetricOrder(sign);

        var experimentRank = RankBy(all, byMetric);
        var trialRank = new Dictionary<long, int>();
        var latestRank = new Dictionary<long, int>();
        foreach (var trial in all.GroupBy(c => c.TrialId))
        {
            foreach (var (id, rank) in RankBy(trial, byMetric))
                trialRank[id] = rank;
            var latestFirst = trial.OrderByDescending(c => c.StepsCompleted).ThenByDescending(c => c.CheckpointId);
            foreach (var (id, rank) in RankBy(latestFirst))
                latestRank[id] = rank;
        }

        return all
            .Where(c => !c.IsProtected)
            .Where(c =>
                ((experimentRank[c.CheckpointId] > policy.SaveExperimentBest && trialRank[c.CheckpointId] > policy.SaveTrialBest)
                 || c.SearcherMetric is null)
                && latestRank[c.CheckpointId] > policy.SaveTrialLatest)
            .OrderBy(c => c.CheckpointId)
            .ToList();
    }

    private static Dictionary<long, int> RankBy(IEnumerable<CheckpointGcCandidate> checkpoints, IComparer<CheckpointGcCandidate> order) =>
        RankBy(checkpoints.Order(order));

    private static Dictionary<long, int> RankBy(IEnumerable<CheckpointGcCandidate> ordered) =>
        ordered.Select((c, i) => (c.CheckpointId, Rank: i + 1)).ToDictionary(x => x.CheckpointId, x => x.Rank);

    /// <summary>Sign-normalised metric ascending, missing metrics last, then validation id, then checkpoint id.</summary>
    private sealed class MetricOrder(double sign) : IComparer<CheckpointGcCandidate>
    {
        public int Compare(CheckpointGcCandidate? x, CheckpointGcCandidate? y)
        {
            ArgumentNullException.ThrowIfNull(x);
            ArgumentNullException.ThrowIfNull(y);
            var byMetric = (x.SearcherMetric, y.SearcherMetric) switch
            {
                (null, null) => 0,
                (null, _) => 1,
                (_, null) => -1,
                ({ } a, { } b) => (sign * a).CompareTo(sign * b),
            };
            if (byMetric != 0)
                return byMetric;
            var byValidation = Nullable.Compare(x.ValidationId, y.ValidationId);
            return byValidation != 0 ? byValidation : x.CheckpointId.CompareTo(y.CheckpointId);
        }
    }
}
