namespace Determinant.Config.Tests.Loading;

/// <summary>Length parsing and the batch conversions of REFERENCE.md §2.4.</summary>
public sealed class LengthTests
{
    [Theory]
    [InlineData(LengthUnit.Batches, 937UL, 64UL, 0UL, 937UL)]
    [InlineData(LengthUnit.Records, 50_000UL, 64UL, 0UL, 781UL)]
    [InlineData(LengthUnit.Records, 10UL, 64UL, 0UL, 1UL)]
    [InlineData(LengthUnit.Epochs, 1UL, 64UL, 60_000UL, 937UL)]
    [InlineData(LengthUnit.Epochs, 3UL, 32UL, 50_000UL, 4687UL)]
    public void ToBatches_MatchesTheReferenceVectors(LengthUnit unit, ulong units, ulong globalBatchSize, ulong recordsPerEpoch, ulong batches)
    {
        Assert.Equal(batches, new Length(unit, units).ToBatches(globalBatchSize, recordsPerEpoch));
    }

    [Theory]
    [InlineData("{batches: 937}", LengthUnit.Batches, 937UL)]
    [InlineData("{records: 64000}", LengthUnit.Records, 64000UL)]
    [InlineData("{epochs: 2}", LengthUnit.Epochs, 2UL)]
    [InlineData("{batches: 0}", LengthUnit.Batches, 0UL)]
    [InlineData("40", LengthUnit.Unitless, 40UL)]
    [InlineData("{batches: 5, records: null}", LengthUnit.Batches, 5UL)]
    public void Load_ReadsSearcherLengths_InEveryForm(string text, LengthUnit unit, ulong units)
    {
        var config = Configs.LoadValid($$"""
            entrypoint: python3 train.py
            records_per_epoch: 100
            hyperparameters: {global_batch_size: 10}
            searcher: {name: single, metric: l, max_length: {{text}}}
            """);

        Assert.Equal(new Length(unit, units), Assert.IsType<SingleSearcherConfig>(config.Searcher).MaxLength);
    }

    [Theory]
    [InlineData("{}", "<config>.searcher.max_length", "exactly one")]
    [InlineData("{steps: 5}", "<config>.searcher.max_length", "\"batches\"")]
    [InlineData("{batches: 1.5}", "<config>.searcher.max_length.batches", "integer")]
    [InlineData("-3", "<config>.searcher.max_length", ">= 0")]
    [InlineData("[5]", "<config>.searcher.max_length", "length object")]
    public void Load_RejectsMalformedLengths(string text, string path, string word)
    {
        var lines = Configs.ErrorLines($"entrypoint: python3 x.py\nsearcher: {{name: single, metric: l, max_length: {text}}}");

        Expect.Line(lines, path, word);
    }

    [Fact]
    public void Load_RejectsABareInteger_ForAPeriodThatNeedsAUnit()
    {
        Expect.Line(Configs.ErrorLines(Configs.Base + "\nmin_validation_period: 100"), "<config>.min_validation_period", "length object");
    }

    [Fact]
    public void Load_ReadsPeriodsInRecords_WhenTheBatchSizeIsKnown()
    {
        var config = Configs.LoadValid(Configs.Base + "\nmin_checkpoint_period: {records: 6400}");

        Assert.Equal(Length.Records(6400), config.MinCheckpointPeriod);
        Assert.Equal(200UL, config.MinCheckpointPeriod.ToBatches(32, 0));
    }
}
