using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Determinant.Harness.Tests.Support;

/// <summary>
/// A small regression trial on 40 synthetic records for loop tests. Hyperparameters switch on misbehaviour:
/// <c>fail_at_batch</c> throws from TrainBatch, <c>nan_from_batch</c> reports a NaN loss, <c>invalid</c> throws
/// <see cref="InvalidHyperparameterException"/> in the constructor, <c>metric_name</c> renames the validation metric.
/// </summary>
public sealed class TinyTrial : TorchTrial
{
    private readonly Linear _model;
    private readonly SGD _optimizer;
    private readonly long _failAt;
    private readonly long _nanFrom;
    private readonly string _metricName;

    public TinyTrial(TrialContext context)
        : base(context)
    {
        if (context.Hyperparameters.ContainsKey("invalid"))
            throw new InvalidHyperparameterException("invalid is set");
        _failAt = context.Hyperparameters.ContainsKey("fail_at_batch") ? context.GetInt("fail_at_batch") : -1;
        _nanFrom = context.Hyperparameters.ContainsKey("nan_from_batch") ? context.GetInt("nan_from_batch") : long.MaxValue;
        _metricName = context.Hyperparameters.ContainsKey("metric_name") ? context.GetString("metric_name") : "validation_loss";
        _model = WrapModel(nn.Linear(4, 1));
        _optimizer = WrapOptimizer(optim.SGD(_model.parameters(), learningRate: 0.05, momentum: 0.9));
    }

    public override BatchSource BuildTrainingData() => Data(seed: 1, shuffle: true);

    public override BatchSource BuildValidationData() => Data(seed: 2, shuffle: false);

    public override IReadOnlyDictionary<string, double> TrainBatch(Batch batch, int epochIndex, long batchIndex)
    {
        if (batchIndex == _failAt)
            throw new InvalidOperationException($"TinyTrial failed on purpose at batch {batchIndex}");
        _optimizer.zero_grad();
        var loss = nn.functional.mse_loss(_model.forward(batch.Inputs), batch.Targets);
        loss.backward();
        _optimizer.step();
        return new Dictionary<string, double> { ["loss"] = batchIndex >= _nanFrom ? double.NaN : loss.item<float>() };
    }

    public override IReadOnlyDictionary<string, double> EvaluateBatch(Batch batch) =>
        new Dictionary<string, double> { [_metricName] = nn.functional.mse_loss(_model.forward(batch.Inputs), batch.Targets).item<float>() };

    private BatchSource Data(long seed, bool shuffle)
    {
        using var generator = new Generator((ulong)seed, CPU);
        var inputs = randn([40, 4], generator: generator);
        var targets = inputs.sum(1, keepdim: true);
        return BatchSource.FromTensors(inputs, targets, Context.PerSlotBatchSize, shuffle);
    }
}
