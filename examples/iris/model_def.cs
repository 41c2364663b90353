using System.Globalization;
using Determinant.Harness;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Determinant.Examples.Iris;

/// <summary>
/// Iris species from four flower measurements: a dense network 4 → <c>layer1_dense_size</c> → 3 with ReLU, trained with
/// Adam whose learning rate decays as <c>learning_rate / (1 + learning_rate_decay · iterations)</c>, like Keras's
/// <c>decay</c> argument in Determined's original Keras example.
/// </summary>
public sealed class IrisTrial : TorchTrial
{
    private const int Features = 4;
    private const int Species = 3;

    private readonly Sequential _model;
    private readonly Adam _optimizer;
    private readonly CrossEntropyLoss _loss = nn.CrossEntropyLoss();

    public IrisTrial(TrialContext context)
        : base(context)
    {
        var hidden = context.GetInt("layer1_dense_size");
        if (hidden < 1)
            throw new InvalidHyperparameterException($"layer1_dense_size must be at least 1, not {hidden}");
        var decay = context.GetDouble("learning_rate_decay");
        _model = WrapModel(nn.Sequential(
            ("dense1", nn.Linear(Features, hidden)),
            ("relu", nn.ReLU()),
            ("output", nn.Linear(hidden, Species))));
        _optimizer = WrapOptimizer(optim.Adam(_model.parameters(), lr: context.GetDouble("learning_rate")));
        WrapLRScheduler(optim.lr_scheduler.LambdaLR(_optimizer, iteration => 1.0 / (1.0 + (decay * iteration))), LRSchedulerStepMode.StepEveryBatch);
    }

    public override BatchSource BuildTrainingData()
    {
        var (inputs, targets) = ReadCsv("iris_training.csv");
        return BatchSource.FromTensors(inputs, targets, Context.PerSlotBatchSize, shuffle: true);
    }

    public override BatchSource BuildValidationData()
    {
        var (inputs, targets) = ReadCsv("iris_test.csv");
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
            ["categorical_accuracy"] = Accuracy(logits, batch.Targets),
        };
    }

    public override IReadOnlyDictionary<string, double> EvaluateBatch(Batch batch)
    {
        var logits = _model.forward(batch.Inputs);
        return new Dictionary<string, double>
        {
            ["val_loss"] = _loss.forward(logits, batch.Targets).item<float>(),
            ["val_categorical_accuracy"] = Accuracy(logits, batch.Targets),
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

    // data/<file> next to the model definition, or in the folder the hyperparameter data_dir names (a bind mount's
    // container_path): four measurements, then the species as 0, 1 or 2, after a header line.
    private (Tensor Inputs, Tensor Targets) ReadCsv(string file)
    {
        var folder = Context.Hyperparameters.ContainsKey("data_dir")
            ? Context.GetString("data_dir")
            : Path.Combine(Context.ModelDefinitionDirectory, "data");
        var path = Path.Combine(folder, file);
        var rows = File.ReadAllLines(path).Skip(1).Where(line => line.Length > 0).Select(line => line.Split(',')).ToList();
        var features = rows.SelectMany(r => r.Take(Features).Select(v => float.Parse(v, CultureInfo.InvariantCulture))).ToArray();
        var labels = rows.Select(r => long.Parse(r[Features], CultureInfo.InvariantCulture)).ToArray();
        return (tensor(features, [rows.Count, Features]), tensor(labels));
    }
}
