using System.Globalization;
using System.Reflection;
using System.Runtime.ExceptionServices;
using Determinant.Harness.Checkpoints;
using Determinant.Harness.Distributed;
using Determinant.Harness.Loop;
using TorchSharp;

namespace Determinant.Harness.Hosting;

/// <summary>Builds the trial and its data, seeds torch, restores a checkpoint when there is one, and runs the loop.</summary>
internal static class TrialLauncher
{
    private static readonly Lock SeedGate = new();

    public static async Task<TrialExit> RunAsync(Type trialType, HarnessEnvironment env, TrialSession session, HarnessOptions options, CancellationToken cancellationToken)
    {
        TorchRuntime.EnsureLoaded();
        var context = env.ToTrialContext();
        var storage = CheckpointStorage.BaseDirectory(env.Config.CheckpointStorage);
        var (built, trainingData, validationData) = Build(trialType, context, env.TrialSeed);
        using var trial = built;
        using var training = trainingData;
        using var validation = validationData;

        var state = new TrainingState { TrialSeed = env.TrialSeed };
        if (env.LatestCheckpoint is { } latest)
        {
            if (env.StepsCompleted > 0)
            {
                var (uuid, steps) = ResumeCheckpoint.Choose(storage, latest, env.StepsCompleted, env.Ids.TrialId, session.Log);
                state = CheckpointRestorer.Resume(trial, Path.Combine(storage, uuid), steps);
                session.Log.Info($"resumed from checkpoint {uuid} at {state.StepsCompleted} steps");
            }
            else
            {
                ResumeCheckpoint.RequireIntact(storage, latest);
                CheckpointRestorer.WarmStart(trial, Path.Combine(storage, latest));
                session.Log.Info($"warm-started from the weights of checkpoint {latest}");
            }
        }

        var settings = new CheckpointSettings(storage, env.WorkDirectory, env.Ids.ExperimentId, env.Ids.TrialId, env.ConfigJson, env.Hyperparameters,
            TrialClassSpec(trialType, env), options.NewCheckpointUuid);
        using var runner = new BatchRunner(trial, training, validation, state, Distribute(trial, training, context, state, session, env));
        var units = new SearcherUnits(env.Config, context.GlobalBatchSize, session.Log);
        var controller = new TrialController(trial, session, units, state, runner, new CheckpointWriter(settings), env.Config);
        var exit = await controller.RunAsync(cancellationToken);
        if (runner.Distributed is { } distributed && runner.TrainingSeconds > 0)
        {
            var communication = distributed.Gradients.CommunicationSeconds;
            session.Log.Info(string.Create(CultureInfo.InvariantCulture,
                $"gradient averaging took {communication:0.000} s of the {runner.TrainingSeconds:0.000} s spent training ({100 * communication / runner.TrainingSeconds:0.0}%)"));
        }

        return exit;
    }

    /// <summary>
    /// For a distributed trial: copies rank 0's weights and optimizer state to every worker, gives the other ranks their
    /// own random stream (for dropout), and shards the training data; null for a single worker.
    /// </summary>
    private static DistributedTraining? Distribute(TorchTrial trial, BatchSource training, TrialContext context, TrainingState state, TrialSession session, HarnessEnvironment env)
    {
        if (session.Group is not { } group)
            return null;
        if (group.Size != context.Slots)
            throw new InvalidOperationException($"the trial has {group.Size} workers (WORLD_SIZE) but resources.slots_per_trial is {context.Slots}; each slot runs one worker");
        group.BroadcastTrialState(trial);
        if (group.Rank > 0)
            torch.manual_seed(((long)env.TrialSeed * 1_000_003L) + (group.Rank * 7919L) + (long)state.StepsCompleted);
        var gradients = new GradientSync(group.Collectives, trial.Optimizers, group.Options.TensorFusionThresholdBytes);
        session.Log.Info($"data-parallel on {group.Size} workers: {context.PerSlotBatchSize} of {context.GlobalBatchSize} records per batch here, "
            + $"gradients averaged in {gradients.BucketCount} bucket(s) of up to {group.Options.TensorFusionThresholdBytes / (1024 * 1024)} MB");
        return new DistributedTraining(group, gradients, new DataShard(training, group.Rank, group.Size));
    }

    /// <summary>
    /// Seeds torch and builds the trial and its data. The torch generator is global to the process, so workers hosted in
    /// one process (tests) take turns here: each builds from the seed alone, as it would in a process of its own.
    /// </summary>
    private static (TorchTrial Trial, BatchSource Training, BatchSource Validation) Build(Type trialType, TrialContext context, int seed)
    {
        lock (SeedGate)
        {
            torch.manual_seed(seed);
            var trial = Construct(trialType, context);
            try
            {
                var training = trial.BuildTrainingData();
                try
                {
                    return (trial, training, trial.BuildValidationData());
                }
                catch
                {
                    training.Dispose();
                    throw;
                }
            }
            catch
            {
                trial.Dispose();
                throw;
            }
        }
    }

    private static TorchTrial Construct(Type trialType, TrialContext context)
    {
        try
        {
            return (TorchTrial)Activator.CreateInstance(trialType, context)!;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }

    private static string TrialClassSpec(Type trialType, HarnessEnvironment env) =>
        env.Config.Entrypoint is { IsTrialClass: true, Command: { } command } ? command : $"{trialType.Assembly.GetName().Name}:{trialType.FullName}";
}
