using TorchSharp;

namespace Determinant.Harness.Loop;

/// <summary>
/// Runs training batches in order and evaluation passes. The training position follows from the steps alone (epoch =
/// steps / batches per epoch), so a resumed trial reads exactly the batches an uninterrupted one would. Each batch runs
/// inside its own dispose scope.
/// </summary>
internal sealed class BatchRunner(TorchTrial trial, BatchSource training, BatchSource validation, TrainingState state) : IDisposable
{
    private IEnumerator<Batch>? _batches;
    private ulong _nextStep = ulong.MaxValue;

    public SamplerPosition Position => new(state.TrialSeed, (long)(state.StepsCompleted / (ulong)training.BatchesPerEpoch),
        (int)(state.StepsCompleted % (ulong)training.BatchesPerEpoch), training.BatchesPerEpoch);

    /// <summary>Trains <paramref name="count"/> batches, advancing <see cref="TrainingState.StepsCompleted"/>, and returns each batch's metrics.</summary>
    public List<IReadOnlyDictionary<string, double>> Train(ulong count)
    {
        var perBatch = new List<IReadOnlyDictionary<string, double>>((int)Math.Min(count, 4096));
        var batchesPerEpoch = (ulong)training.BatchesPerEpoch;
        for (ulong i = 0; i < count; i++)
        {
            var step = state.StepsCompleted;
            var epoch = (int)(step / batchesPerEpoch);
            var inEpoch = (int)(step % batchesPerEpoch);
            if (_batches is null || _nextStep != step || inEpoch == 0)
            {
                _batches?.Dispose();
                _batches = training.ReadEpoch(state.TrialSeed, epoch, inEpoch).GetEnumerator();
            }

            using (torch.NewDisposeScope())
            {
                if (!_batches.MoveNext())
                    throw new InvalidOperationException($"the training data ended at batch {inEpoch} of epoch {epoch}, but it promises {batchesPerEpoch} batches per epoch");
                perBatch.Add(trial.TrainBatch(_batches.Current.To(trial.Context.Device), epoch, (long)step));
            }

            foreach (var scheduler in trial.Schedulers)
            {
                if (scheduler.StepMode == LRSchedulerStepMode.StepEveryBatch || inEpoch + 1 == (int)batchesPerEpoch)
                    scheduler.Step();
            }

            state.StepsCompleted = step + 1;
            _nextStep = step + 1;
        }

        return perBatch;
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
            if (trial.EvaluateFullDataset(validation) is { } full)
                return full;
            var perBatch = new List<IReadOnlyDictionary<string, double>>();
            foreach (var batch in Scoped(validation.ReadAll()))
                perBatch.Add(trial.EvaluateBatch(batch.To(trial.Context.Device)));
            return MetricValues.Average(perBatch);
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
