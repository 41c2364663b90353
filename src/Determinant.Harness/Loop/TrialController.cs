using Determinant.Config;
using Determinant.Harness.Checkpoints;
using Determinant.Protocol.CoreApi;

namespace Determinant.Harness.Loop;

/// <summary>
/// The classic trial-class loop of REFERENCE.md §7.3: train toward each searcher operation in steps of at most
/// <c>scheduling_unit</c> batches, report after every step, check the stop signal, validate and checkpoint on their
/// periods and under <c>checkpoint_policy</c>, and finish each operation with a checkpoint and a validation.
/// </summary>
internal sealed class TrialController(
    TorchTrial trial, TrialSession session, SearcherUnits units, TrainingState state, BatchRunner runner, CheckpointWriter writer, ExperimentConfig config)
{
    private readonly ulong _validationPeriod = units.PeriodInBatches(config.MinValidationPeriod);
    private readonly ulong _checkpointPeriod = units.PeriodInBatches(config.MinCheckpointPeriod);

    public async Task<TrialExit> RunAsync(CancellationToken cancellationToken)
    {
        if (config.PerformInitialValidation && state.StepsCompleted == 0 && state.LastValidationSteps is null)
            await ValidateAsync(null, cancellationToken);

        while (await session.NextOperationAsync(cancellationToken) is { } op)
        {
            var target = units.ToBatches(op.Length);
            var completed = false;
            session.ReportRunnerState(RunnerState.Training);
            while (state.StepsCompleted < target)
            {
                var batches = runner.Train(NextStepSize(target));
                session.ReportTraining(state.StepsCompleted, batches);
                session.ReportProgress(units.Progress(state.StepsCompleted));
                if (await session.ShouldStopAsync(cancellationToken))
                    return await StopAsync(cancellationToken);
                if (_validationPeriod > 0 && state.StepsCompleted - (state.LastValidationSteps ?? 0) >= _validationPeriod)
                    completed |= await ValidateAsync(op, cancellationToken);
                if (_checkpointPeriod > 0 && state.StepsCompleted - (state.LastCheckpointSteps ?? 0) >= _checkpointPeriod)
                    await CheckpointIfNotCurrentAsync(cancellationToken);
            }

            await CheckpointIfNotCurrentAsync(cancellationToken);
            if (state.LastValidationSteps != state.StepsCompleted || state.LastSearcherMetric is null)
                completed |= await ValidateAsync(op, cancellationToken);
            if (!completed)
                await session.CompleteOperationAsync(op, state.LastSearcherMetric!.Value, cancellationToken);
        }

        session.Log.Info($"no more searcher operations after {state.StepsCompleted} steps");
        return await StopAsync(cancellationToken, TrialExit.OutOfOperations);
    }

    private ulong NextStepSize(ulong target)
    {
        var size = Math.Min(target - state.StepsCompleted, (ulong)config.SchedulingUnit);
        if (_validationPeriod > 0)
            size = Math.Min(size, Until(state.LastValidationSteps, _validationPeriod));
        if (_checkpointPeriod > 0)
            size = Math.Min(size, Until(state.LastCheckpointSteps, _checkpointPeriod));
        return Math.Max(size, 1);
    }

    private ulong Until(ulong? last, ulong period)
    {
        var due = (last ?? 0) + period;
        return due > state.StepsCompleted ? due - state.StepsCompleted : 0;
    }

    /// <summary>Validates, reports, checkpoints under the policy, and completes <paramref name="op"/> when its target is reached.</summary>
    private async Task<bool> ValidateAsync(ValidateAfterOperation? op, CancellationToken cancellationToken)
    {
        session.ReportRunnerState(RunnerState.Validating);
        // The experiment's best is read before this validation is reported, so it cannot count against itself (§4.3).
        var best = config.CheckpointPolicy == CheckpointPolicy.Best ? await session.BestSearcherMetricAsync(cancellationToken) : null;
        var metrics = runner.Evaluate();
        var name = config.Searcher.Metric;
        if (!metrics.TryGetValue(name, out var value))
        {
            throw new InvalidOperationException(
                $"the validation metrics lack the searcher metric '{name}' (searcher.metric); the trial returned: [{string.Join(", ", metrics.Keys.Order(StringComparer.Ordinal))}]");
        }

        session.ReportValidation(state.StepsCompleted, metrics);
        state.LastValidationSteps = state.StepsCompleted;
        state.LastSearcherMetric = value;
        if (config.CheckpointPolicy == CheckpointPolicy.All || (config.CheckpointPolicy == CheckpointPolicy.Best && IsBetter(value, best)))
            await CheckpointIfNotCurrentAsync(cancellationToken);

        session.ReportRunnerState(RunnerState.Training);
        if (op is null || state.StepsCompleted < units.ToBatches(op.Length))
            return false;
        await session.CompleteOperationAsync(op, value, cancellationToken);
        return true;
    }

    private bool IsBetter(double value, double? best) =>
        !double.IsNaN(value) && (best is not { } b || (config.Searcher.SmallerIsBetter ? value < b : value > b));

    private async Task CheckpointIfNotCurrentAsync(CancellationToken cancellationToken)
    {
        if (state.LastCheckpointSteps == state.StepsCompleted)
            return;
        if (session.Group is { IsChief: false })
        {
            // Only the chief writes checkpoints; the others hold the same state and only keep count.
            state.LastCheckpointSteps = state.StepsCompleted;
            state.Sampler = runner.Position;
            return;
        }

        session.ReportRunnerState(RunnerState.Checkpointing);
        var previous = state.LastCheckpointSteps;
        state.LastCheckpointSteps = state.StepsCompleted;
        state.Sampler = runner.Position;
        WrittenCheckpoint written;
        try
        {
            written = await writer.WriteAsync(trial, state, cancellationToken);
        }
        catch
        {
            state.LastCheckpointSteps = previous;
            throw;
        }

        session.Log.Info($"checkpoint {written.Uuid} written at {state.StepsCompleted} steps to {written.Directory}");
        await session.ReportCheckpointAsync(written, cancellationToken);
        session.ReportRunnerState(RunnerState.Training);
    }

    private async Task<TrialExit> StopAsync(CancellationToken cancellationToken, TrialExit exit = TrialExit.Stopped)
    {
        if (exit == TrialExit.Stopped)
            session.Log.Info($"stop signal received after {state.StepsCompleted} steps");
        await CheckpointIfNotCurrentAsync(cancellationToken);
        await session.AckStopAsync(cancellationToken);
        return exit;
    }
}
