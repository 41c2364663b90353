using Determinant.Config;

namespace Determinant.Config.Tests.Checkpoints;

/// <summary>The conformance table of REFERENCE.md §4.4, row by row.</summary>
public sealed class CheckpointGcTests
{
    // Trial 1: ids 1-5 with metrics null, null, 0.6, 0.5, 0.4. Trial 2: ids 6-10 with null, 0.2, 0.3, null, null.
    // Ids ascend with steps inside each trial; a checkpoint with a metric belongs to the validation of the same id.
    private static readonly CheckpointGcCandidate[] Table =
    [
        Candidate(1, trial: 1, metric: null),
        Candidate(2, trial: 1, metric: null),
        Candidate(3, trial: 1, metric: 0.6),
        Candidate(4, trial: 1, metric: 0.5),
        Candidate(5, trial: 1, metric: 0.4),
        Candidate(6, trial: 2, metric: null),
        Candidate(7, trial: 2, metric: 0.2),
        Candidate(8, trial: 2, metric: 0.3),
        Candidate(9, trial: 2, metric: null),
        Candidate(10, trial: 2, metric: null),
    ];

    [Theory]
    [InlineData(0, 0, 0, new long[0])]
    [InlineData(2, 0, 0, new long[] { 7, 8 })]
    [InlineData(5, 0, 0, new long[] { 3, 4, 5, 7, 8 })]
    [InlineData(9, 0, 0, new long[] { 3, 4, 5, 7, 8 })]
    [InlineData(0, 1, 0, new long[] { 5, 7 })]
    [InlineData(0, 3, 0, new long[] { 3, 4, 5, 7, 8 })]
    [InlineData(0, 7, 0, new long[] { 3, 4, 5, 7, 8 })]
    [InlineData(0, 0, 1, new long[] { 5, 10 })]
    [InlineData(0, 0, 3, new long[] { 3, 4, 5, 8, 9, 10 })]
    [InlineData(2, 1, 0, new long[] { 5, 7, 8 })]
    [InlineData(2, 0, 1, new long[] { 5, 7, 8, 10 })]
    [InlineData(0, 1, 1, new long[] { 5, 7, 10 })]
    [InlineData(2, 1, 1, new long[] { 5, 7, 8, 10 })]
    public void SelectForDeletion_KeepsTheConformanceSurvivors_ForEachPolicyRow(
        int experimentBest, int trialBest, int trialLatest, long[] survivors)
    {
        var deleted = CheckpointGc.SelectForDeletion(Table, new CheckpointGcPolicy(experimentBest, trialBest, trialLatest), smallerIsBetter: true);

        var kept = Table.Select(c => c.CheckpointId).Except(deleted.Select(c => c.CheckpointId)).Order();
        Assert.Equal(survivors, kept);
    }

    [Fact]
    public void SelectForDeletion_KeepsTheLargestMetrics_WhenLargerIsBetter()
    {
        var deleted = CheckpointGc.SelectForDeletion(Table, new CheckpointGcPolicy(2, 0, 0), smallerIsBetter: false);

        var kept = Table.Select(c => c.CheckpointId).Except(deleted.Select(c => c.CheckpointId)).Order();
        Assert.Equal([3, 4], kept);
    }

    [Fact]
    public void SelectForDeletion_NeverDeletesProtectedCheckpoints_EvenWhenDeletingEverything()
    {
        var withSource = Table.Select(c => c.CheckpointId == 2 ? c with { IsProtected = true } : c);

        var deleted = CheckpointGc.SelectForDeletion(withSource, CheckpointGcPolicy.DeleteAll, smallerIsBetter: true);

        Assert.Equal(9, deleted.Count);
        Assert.DoesNotContain(deleted, c => c.CheckpointId == 2);
    }

    [Fact]
    public void SelectForDeletion_Throws_WhenAPolicyCountIsNegative()
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => CheckpointGc.SelectForDeletion(Table, new CheckpointGcPolicy(0, -1, 0), smallerIsBetter: true));
    }

    private static CheckpointGcCandidate Candidate(long id, int trial, double? metric) =>
        new(id, trial, StepsCompleted: id * 100, ValidationId: metric is null ? null : id, SearcherMetric: metric);
}
