using Determinant.Harness.Distributed;
using TorchSharp;

namespace Determinant.Harness.Loop;

/// <summary>
/// Runs training batches in order and evaluation passes. The training position follows from the steps alone (epoch =
/// steps / batches per epoch), so a resumed trial reads exactly the batches an uninterrupted one would. Each batch runs
/// inside its own dispose scope.
/// </summary>
/// <remarks>
/// In a distributed trial each step trains this worker's share of the global batch (<see cref="DataShard"/>), then
/// averages the gradients over the workers before the optimizers step (<see cref="GradientSync"/>); validation runs on
/// this worker's share of the batches and its metrics are reduced over all workers.
/// </remarks>
internal sealed class BatchRunner(TorchTrial trial, BatchSource training, BatchSource validation, TrainingState state, DistributedTraining? distributed = null)
    : IDisposable
{
    private IEnumerator<Batch?>? _batches;
    private ulong _nextStep = ulong.MaxValue;

    public DistributedTraining? Distributed => distributed;

    private int BatchesPerEpoch => distributed?.Training.BatchesPerEpoch ?? training.BatchesPerEpoch;

    public SamplerPosition Position => new(state.TrialSeed, (long)(state.StepsCompleted / (ulong)BatchesPerEpoch),
        (int)(state.StepsCompleted % (ulong)BatchesPerEpoch), BatchesPerEpoch);

    /// <summary>Seconds spent in <see cref="Train"/> so far.</summary>
    public double TrainingSeconds { get; private set; }

    /// <summary>Trains <paramref name="count"/> batches, advancing <see cref="TrainingState.StepsCompleted"/>, and returns each batch's metrics.</summary>
    public List<IReadOnlyDictionary<string, double>> Train(ulong count)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            return TrainBatches(count);
        }
        finally
        {
            TrainingSeconds += System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        }
    }

    private List<IReadOnlyDictionary<string, double>> TrainBatches(ulong count)
    {
        var perBatch = new List<IReadOnlyDictionary<string, double>?>((int)Math.Min(count, 4096));
        var batchesPerEpoch = (ulong)BatchesPerEpoch;
        for (ulong i = 0; i < count; i++)
        {
            var step = state.StepsCompleted;
            var epoch = (int)(step / batchesPerEpoch);
            var inEpoch = (int)(step % batchesPerEpoch);
            if (_batches is null || _nextStep != step || inEpoch == 0)
            {
                _batches?.Dispose();
                _batches = (distributed is null ? training.ReadEpoch(state.TrialSeed, epoch, inEpoch)
                    : distributed.Training.ReadEpoch(state.TrialSeed, epoch, inEpoch)).GetEnumerator();
            }

            using (torch.NewDisposeScope())
            {
                if (!_batches.MoveNext())
                    throw new InvalidOperationException($"the training data ended at batch {inEpoch} of epoch {epoch}, but it promises {batchesPerEpoch} batches per epoch");
                perBatch.Add(distributed is null
                    ? trial.TrainBatch(_batches.Current!.To(trial.Context.Device), epoch, (long)step)
                    : TrainShare(distributed.Gradients, _batches.Current, epoch, step));
            }

            foreach (var scheduler in trial.Schedulers)
            {
                if (scheduler.StepMode == LRSchedulerStepMode.StepEveryBatch || inEpoch + 1 == (int)batchesPerEpoch)
                    scheduler.Step();
            }

            state.StepsCompleted = step + 1;
            _nextStep = step + 1;
        }

        return distributed is null ? [.. perBatch.Select(m => m!)] : distributed.Group.TrainingMetrics(perBatch);
    }

    /// <summary>This worker's part of one global batch: its own batch (if any), then the averaged gradients and the optimizer step.</summary>
    private IReadOnlyDictionary<string, double>? TrainShare(GradientSync gradients, Batch? batch, int epoch, ulong step)
    {
        IReadOnlyDictionary<string, double>? metrics = null;
        gradients.Hide();
        try
        {
            if (batch is not null)
                metrics = trial.TrainBatch(batch.To(trial.Context.Device), epoch, (long)step);
        }
        finally
        {
            gradients.Restore();
        }

        gradients.AverageAndStep(batch?.Size ?? 0);
        return metrics;
    }

    /// <summary>Validation metrics: the trial's full-dataset hook, or the mean over batches of its per-batch metrics.</summary>
    public IReadOnlyDictionary<string, double> Evaluate()
    {
        var wasTraining = trial.Models.Select(m => m.training).ToList();
        foreach (var model in trial.Models)
            model.eval();
        try
        {
            using var noGrad = torch.no_grad();
            // Every worker evaluates the whole data set with the same weights, so each gets the chief's metrics.
            if (trial.EvaluateFullDataset(validation) is { } full)
                return full;
            var perBatch = new List<IReadOnlyDictionary<string, double>>();
            var batches = distributed is null ? validation.ReadAll() : DataShard.Validation(validation, distributed.Group.Rank, distributed.Group.Size);
            foreach (var batch in Scoped(batches))
                perBatch.Add(trial.EvaluateBatch(batch.To(trial.Context.Device)));
            return distributed is null ? MetricValues.Average(perBatch) : distributed.Group.ValidationMetrics(perBatch);
        }
        finally
        {
            for (var i = 0; i < trial.Models.Count; i++)
                trial.Models[i].train(wasTraining[i]);
        }
    }

    public void Dispose() => _batches?.Dispose();

    // Each batch is read and used inside its own scope; the scope ends when the next batch is asked for.
    private static IEnumerable<Batch> Scoped(IEnumerable<Batch> batches)
    {
        using var enumerator = batches.GetEnumerator();
        while (true)
        {
            using var scope = torch.NewDisposeScope();
            if (!enumerator.MoveNext())
                yield break;
            yield return enumerator.Current;
        }
    }
}
