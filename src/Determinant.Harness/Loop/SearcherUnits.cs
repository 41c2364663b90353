using Determinant.Config;
using Determinant.Harness.Hosting;

namespace Determinant.Harness.Loop;

/// <summary>Converts between the searcher's unit and batches (REFERENCE.md §2.4); the searcher never sees batches unless it counts in them.</summary>
internal sealed class SearcherUnits
{
    private readonly LengthUnit _unit;
    private readonly ulong _globalBatchSize;
    private readonly ulong _recordsPerEpoch;

    public SearcherUnits(ExperimentConfig config, int globalBatchSize, HarnessLog log)
    {
        var length = config.Searcher switch
        {
            SingleSearcherConfig s => s.MaxLength,
            RandomSearcherConfig s => s.MaxLength,
            GridSearcherConfig s => s.MaxLength,
            AdaptiveAshaSearcherConfig s => s.MaxLength,
            AsyncHalvingSearcherConfig s => s.MaxLength,
            PbtSearcherConfig s => s.LengthPerRound,
            _ => throw new NotSupportedException($"searcher '{config.Searcher.Name}' is not supported by the trial-class harness"),
        };
        if (length.Unit == LengthUnit.Unitless)
            log.Warning("the searcher length has no unit; the trial-class harness counts it in epochs");
        _unit = length.Unit == LengthUnit.Unitless ? LengthUnit.Epochs : length.Unit;
        _globalBatchSize = (ulong)globalBatchSize;
        _recordsPerEpoch = config.RecordsPerEpoch;
    }

    public ulong ToBatches(ulong searcherUnits) => new Length(_unit, searcherUnits).ToBatches(_globalBatchSize, _recordsPerEpoch);

    /// <summary>A period such as <c>min_validation_period</c> in batches; 0 means never.</summary>
    public ulong PeriodInBatches(Length period) => period.Units == 0 ? 0 : period.ToBatches(_globalBatchSize, _recordsPerEpoch);

    /// <summary>Training done, in searcher units: batches as they are, records as steps × batch size, epochs as a fraction.</summary>
    public double Progress(ulong steps) => _unit switch
    {
        LengthUnit.Records => (double)steps * _globalBatchSize,
        LengthUnit.Epochs => (double)steps * _globalBatchSize / _recordsPerEpoch,
        _ => steps,
    };
}
