using System.Reflection;
using System.Runtime.ExceptionServices;
using Determinant.Harness.Checkpoints;
using Determinant.Harness.Loop;
using TorchSharp;

namespace Determinant.Harness.Hosting;

/// <summary>Builds the trial and its data, seeds torch, restores a checkpoint when there is one, and runs the loop.</summary>
internal static class TrialLauncher
{
    public static async Task<TrialExit> RunAsync(Type trialType, HarnessEnvironment env, TrialSession session, HarnessOptions options, CancellationToken cancellationToken)
    {
        TorchRuntime.EnsureLoaded();
        torch.manual_seed(env.TrialSeed);
        var context = env.ToTrialContext();
        var storage = CheckpointStorage.BaseDirectory(env.Config.CheckpointStorage);
        using var trial = Construct(trialType, context);
        using var training = trial.BuildTrainingData();
        using var validation = trial.BuildValidationData();

        var state = new TrainingState { TrialSeed = env.TrialSeed };
        if (env.LatestCheckpoint is { } uuid)
        {
            var directory = Path.Combine(storage, uuid);
            if (env.StepsCompleted > 0)
            {
                state = CheckpointRestorer.Resume(trial, directory, env.StepsCompleted);
                session.Log.Info($"resumed from checkpoint {uuid} at {state.StepsCompleted} steps");
            }
            else
            {
                CheckpointRestorer.WarmStart(trial, directory);
                session.Log.Info($"warm-started from the weights of checkpoint {uuid}");
            }
        }

        var settings = new CheckpointSettings(storage, env.WorkDirectory, env.Ids.ExperimentId, env.Ids.TrialId, env.ConfigJson, env.Hyperparameters,
            TrialClassSpec(trialType, env), options.NewCheckpointUuid);
        using var runner = new BatchRunner(trial, training, validation, state);
        var units = new SearcherUnits(env.Config, context.GlobalBatchSize, session.Log);
        var controller = new TrialController(trial, session, units, state, runner, new CheckpointWriter(settings), env.Config);
        return await controller.RunAsync(cancellationToken);
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
