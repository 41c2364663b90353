using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Determinant.Harness.WarmUp;

/// <summary>A two-layer network on 8 fixed records, trained by a standby harness so that a trial's code paths are compiled.</summary>
internal sealed class WarmUpTrial : TorchTrial
{
    private readonly Sequential _model;
    private readonly Adam _optimizer;

    public WarmUpTrial(TrialContext context)
        : base(context)
    {
        _model = WrapModel(nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3)));
        _optimizer = WrapOptimizer(optim.Adam(_model.parameters(), lr: 1e-3));
    }

    public override BatchSource BuildTrainingData() => Data(shuffle: true);

    public override BatchSource BuildValidationData() => Data(shuffle: false);

    public override IReadOnlyDictionary<string, double> TrainBatch(Batch batch, int epochIndex, long batchIndex)
    {
        _optimizer.zero_grad();
        var loss = nn.functional.cross_entropy(_model.forward(batch.Inputs), batch.Targets);
        loss.backward();
        _optimizer.step();
        return new Dictionary<string, double> { ["loss"] = loss.item<float>() };
    }

    public override IReadOnlyDictionary<string, double> EvaluateBatch(Batch batch) =>
        new Dictionary<string, double> { ["val_loss"] = nn.functional.cross_entropy(_model.forward(batch.Inputs), batch.Targets).item<float>() };

    private BatchSource Data(bool shuffle)
    {
        var inputs = arange(32, ScalarType.Float32).reshape(8, 4) / 32;
        var targets = arange(8, ScalarType.Int64) % 3;
        return BatchSource.FromTensors(inputs, targets, Context.PerSlotBatchSize, shuffle);
    }
}
