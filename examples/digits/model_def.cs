using System.Globalization;
using Determinant.Harness;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Determinant.Examples.Digits;

/// <summary>
/// Handwritten digits from 8×8 images (pixels 0..16, scaled to [0, 1]): a dense network 64 → 256 → 256 → 10 with ReLU and
/// dropout, trained with Adam; the learning rate halves every <c>lr_halving_epochs</c> epochs.
/// </summary>
public sealed class DigitsTrial : TorchTrial
{
    private const int Pixels = 64;
    private const int Classes = 10;

    private readonly Sequential _model;
    private readonly Adam _optimizer;
    private readonly CrossEntropyLoss _loss = nn.CrossEntropyLoss();

    public DigitsTrial(TrialContext context)
        : base(context)
    {
        var hidden = context.GetInt("hidden_size");
        var dropout = context.GetDouble("dropout");
        if (hidden < 1 || dropout is < 0 or >= 1)
            throw new InvalidHyperparameterException($"hidden_size must be at least 1 and dropout in [0, 1); got {hidden} and {dropout}");
        _model = WrapModel(nn.Sequential(
            ("dense1", nn.Linear(Pixels, hidden)),
            ("relu1", nn.ReLU()),
            ("dropout1", nn.Dropout(dropout)),
            ("dense2", nn.Linear(hidden, hidden)),
            ("relu2", nn.ReLU()),
            ("dropout2", nn.Dropout(dropout)),
            ("output", nn.Linear(hidden, Classes))));
        _optimizer = WrapOptimizer(optim.Adam(_model.parameters(), lr: context.GetDouble("learning_rate")));
        WrapLRScheduler(optim.lr_scheduler.StepLR(_optimizer, context.GetInt("lr_halving_epochs"), 0.5), LRSchedulerStepMode.StepEveryEpoch);
    }

    public override BatchSource BuildTrainingData()
    {
        var (inputs, targets) = ReadCsv("digits_training.csv");
        return BatchSource.FromTensors(inputs, targets, Context.PerSlotBatchSize, shuffle: true);
    }

    public override BatchSource BuildValidationData()
    {
        var (inputs, targets) = ReadCsv("digits_test.csv");
        return BatchSource.FromTensors(inputs, targets, Context.PerSlotBatchSize);
    }

    public override IReadOnlyDictionary<string, double> TrainBatch(Batch batch, int epochIndex, long batchIndex)
    {
        _optimizer.zero_grad();
        var logits = _model.forward(batch.Inputs);
        var loss = _loss.forward(logits, batch.Targets);
        loss.backward();
        _optimizer.step();
        return new Dictionary<string, double>
        {
            ["loss"] = loss.item<float>(),
            ["accuracy"] = Accuracy(logits, batch.Targets),
        };
    }

    public override IReadOnlyDictionary<string, double> EvaluateBatch(Batch batch)
    {
        var logits = _model.forward(batch.Inputs);
        return new Dictionary<string, double>
        {
            ["validation_loss"] = _loss.forward(logits, batch.Targets).item<float>(),
            ["validation_accuracy"] = Accuracy(logits, batch.Targets),
        };
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _loss.Dispose();
        base.Dispose(disposing);
    }

    private static double Accuracy(Tensor logits, Tensor targets) =>
        logits.argmax(1).eq(targets).to_type(ScalarType.Float32).mean().item<float>();

    // data/<file> next to the model definition: 64 pixel values 0..16, then the digit, after a header line.
    private (Tensor Inputs, Tensor Targets) ReadCsv(string file)
    {
        var path = Path.Combine(Context.ModelDefinitionDirectory, "data", file);
        var rows = File.ReadAllLines(path).Skip(1).Where(line => line.Length > 0).Select(line => line.Split(',')).ToList();
        var pixels = rows.SelectMany(r => r.Take(Pixels).Select(v => float.Parse(v, CultureInfo.InvariantCulture) / 16f)).ToArray();
        var labels = rows.Select(r => long.Parse(r[Pixels], CultureInfo.InvariantCulture)).ToArray();
        return (tensor(pixels, [rows.Count, Pixels]), tensor(labels));
    }
}
