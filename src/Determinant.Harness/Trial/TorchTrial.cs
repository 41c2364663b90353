using Determinant.Harness.Trial;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Determinant.Harness;

/// <summary>
/// A model to train: the class a data scientist writes. The harness constructs it with a <see cref="TrialContext"/>,
/// asks it for data, and calls <see cref="TrainBatch"/> and <see cref="EvaluateBatch"/> as the searcher directs.
/// </summary>
/// <remarks>
/// In the constructor, build the model, optimizer and learning-rate scheduler and pass each through
/// <see cref="WrapModel{TModule}"/>, <see cref="WrapOptimizer{TOptimizer}"/> and <see cref="WrapLRScheduler{TScheduler}"/>:
/// the harness checkpoints and restores exactly what was wrapped. Throw <see cref="InvalidHyperparameterException"/>
/// from any member to end the trial as <c>INVALID_HP</c>; any other exception fails the trial.
/// </remarks>
public abstract class TorchTrial : IDisposable
{
    private readonly List<nn.Module> _models = [];
    private readonly List<OptimizerHelper> _optimizers = [];
    private readonly List<WrappedScheduler> _schedulers = [];

    /// <summary>Creates the trial for <paramref name="context"/>.</summary>
    protected TorchTrial(TrialContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Context = context;
    }

    /// <summary>The trial's hyperparameters, config, seed, batch size and device.</summary>
    public TrialContext Context { get; }

    internal IReadOnlyList<nn.Module> Models => _models;

    internal IReadOnlyList<OptimizerHelper> Optimizers => _optimizers;

    internal IReadOnlyList<WrappedScheduler> Schedulers => _schedulers;

    /// <summary>The data to train on; called once per run, before training starts.</summary>
    public abstract BatchSource BuildTrainingData();

    /// <summary>The data to validate on; called once per run, before training starts.</summary>
    public abstract BatchSource BuildValidationData();

    /// <summary>Trains one batch (forward, backward, optimizer step) and returns its metrics, such as <c>loss</c>.</summary>
    /// <param name="batch">The batch, on the context's device.</param>
    /// <param name="epochIndex">The zero-based epoch of the training data the batch belongs to.</param>
    /// <param name="batchIndex">The zero-based index of the batch over the whole trial (equal to the batches trained before it).</param>
    public abstract IReadOnlyDictionary<string, double> TrainBatch(Batch batch, int epochIndex, long batchIndex);

    /// <summary>Computes metrics on one validation batch; the harness averages them over the batches.</summary>
    /// <remarks>Runs with models in eval mode and no gradient. Override this or <see cref="EvaluateFullDataset"/>.</remarks>
    /// <exception cref="NotSupportedException">Neither this nor <see cref="EvaluateFullDataset"/> was overridden.</exception>
    public virtual IReadOnlyDictionary<string, double> EvaluateBatch(Batch batch) =>
        throw new NotSupportedException($"{GetType().Name} overrides neither EvaluateBatch nor EvaluateFullDataset");

    /// <summary>Computes validation metrics over the whole data set at once; null (the default) evaluates batch by batch.</summary>
    /// <remarks>Runs with models in eval mode and no gradient; for metrics that do not average over batches.</remarks>
    public virtual IReadOnlyDictionary<string, double>? EvaluateFullDataset(BatchSource validationData) => null;

    /// <summary>Registers a model, moved to the context's device, for checkpoints, evaluation mode and restore.</summary>
    protected TModule WrapModel<TModule>(TModule model)
        where TModule : nn.Module
    {
        ArgumentNullException.ThrowIfNull(model);
        model.to(Context.Device);
        _models.Add(model);
        return model;
    }

    /// <summary>Registers an optimizer so that its state (such as Adam's moments) is checkpointed and restored.</summary>
    /// <exception cref="NotSupportedException">The optimizer cannot save its state (it does not derive from TorchSharp's <c>OptimizerHelper</c>).</exception>
    protected TOptimizer WrapOptimizer<TOptimizer>(TOptimizer optimizer)
        where TOptimizer : optim.Optimizer
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        _optimizers.Add(optimizer as OptimizerHelper
            ?? throw new NotSupportedException($"optimizer {optimizer.GetType().Name} cannot save its state; use one of TorchSharp's built-in optimizers"));
        return optimizer;
    }

    /// <summary>Registers a learning-rate scheduler that the harness steps (per batch or per epoch) and restores on resume.</summary>
    /// <remarks>
    /// Restore replays the recorded number of steps on the freshly built scheduler, so the scheduler must depend only on
    /// its step count (every TorchSharp scheduler except <c>ReduceLROnPlateau</c>). Do not step it yourself.
    /// </remarks>
    protected TScheduler WrapLRScheduler<TScheduler>(TScheduler scheduler, LRSchedulerStepMode stepMode)
        where TScheduler : optim.lr_scheduler.LRScheduler
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        _schedulers.Add(new WrappedScheduler(scheduler, stepMode));
        return scheduler;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes the wrapped models and optimizers; override to release more, calling the base.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
            return;
        foreach (var optimizer in _optimizers)
            optimizer.Dispose();
        foreach (var model in _models)
            model.Dispose();
    }
}
