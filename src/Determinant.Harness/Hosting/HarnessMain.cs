using System.Reflection;
using Determinant.Harness.Distributed;
using Determinant.Harness.Hosting;
using Determinant.Protocol.CoreApi;

namespace Determinant.Harness;

/// <summary>
/// The entry point of a trial process: reads the trial's environment (REFERENCE.md §7.1), builds the trial class, runs the
/// training loop against the master, and turns the outcome into an exit code (<see cref="HarnessExitCodes"/>).
/// </summary>
public static class HarnessMain
{
    /// <summary>Runs <paramref name="trialClassName"/> from <paramref name="assembly"/> with the process environment.</summary>
    /// <returns>The process exit code.</returns>
    public static Task<int> RunAsync(Assembly assembly, string trialClassName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var type = assembly.GetType(trialClassName) ?? assembly.GetTypes().SingleOrDefault(t => t.Name == trialClassName);
        if (type is null)
        {
            Console.Error.WriteLine($"trial class '{trialClassName}' was not found in assembly {assembly.GetName().Name}");
            return Task.FromResult(HarnessExitCodes.InvalidEnvironment);
        }

        return RunAsync(type, HarnessEnvironment.FromProcess(), coreApi: null, options: null, cancellationToken);
    }

    /// <summary>
    /// Trains a built-in two-batch trial through the whole harness against an in-process stand-in for the master, so that
    /// a process started ahead of need (a standby harness) has the runtime, libtorch and the harness's code compiled.
    /// </summary>
    /// <remarks>Nothing leaves the process; its temporary files are removed and torch's global generator is reseeded.</remarks>
    /// <exception cref="InvalidOperationException">libtorch could not be loaded, or the warm-up trial failed.</exception>
    public static Task WarmUpAsync(CancellationToken cancellationToken) => WarmUp.HarnessWarmUp.RunAsync(cancellationToken);

    /// <summary>Runs the trial class <paramref name="trialType"/> with the given environment variables.</summary>
    /// <param name="trialType">A non-abstract <see cref="TorchTrial"/> with a constructor taking a <see cref="TrialContext"/>.</param>
    /// <param name="environment">The <c>DET_*</c> variables (§7.1).</param>
    /// <param name="coreApi">The master; null builds an <see cref="HttpCoreApi"/> from <c>DET_MASTER</c> and <c>DET_SESSION_TOKEN</c>.</param>
    /// <param name="options">Clock, output and limits; defaults when null.</param>
    /// <param name="cancellationToken">Stops the run; the trial is then neither checkpointed nor acknowledged.</param>
    /// <returns>
    /// 0 when training ended, was stopped, or ended with <see cref="InvalidHyperparameterException"/> (reported as
    /// <c>INVALID_HP</c>); 1 when the trial failed, with the exception and stack trace on <see cref="HarnessOptions.Error"/>;
    /// 2 when the environment is unusable.
    /// </returns>
    public static async Task<int> RunAsync(
        Type trialType, IReadOnlyDictionary<string, string?> environment, ICoreApi? coreApi, HarnessOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trialType);
        ArgumentNullException.ThrowIfNull(environment);
        options ??= new HarnessOptions();
        HarnessEnvironment env;
        TrialServices services;
        try
        {
            if (!typeof(TorchTrial).IsAssignableFrom(trialType) || trialType.IsAbstract || trialType.GetConstructor([typeof(TrialContext)]) is null)
                throw new ArgumentException($"{trialType.FullName} must be a non-abstract TorchTrial with a public constructor taking a TrialContext");
            env = HarnessEnvironment.Parse(environment);
            services = TrialServices.Start(env, coreApi, options);
        }
        catch (ArgumentException ex)
        {
            await options.Error.WriteLineAsync(ex.Message);
            return HarnessExitCodes.InvalidEnvironment;
        }

        await using (services)
        {
            var log = services.Log;
            var session = services.Session;
            try
            {
                await services.ConnectWorkersAsync(env, options, cancellationToken);
            }
            catch (Exception ex) when (ex is ArgumentException or CollectiveException)
            {
                await options.Error.WriteLineAsync($"trial {env.Ids.TrialId} could not join its workers: {ex.Message}");
                return ex is ArgumentException ? HarnessExitCodes.InvalidEnvironment : HarnessExitCodes.TrialFailed;
            }

            try
            {
                var exit = await TrialLauncher.RunAsync(trialType, env, session, options, cancellationToken);
                log.Info($"trial {env.Ids.TrialId} exits: {exit}");
                return HarnessExitCodes.Success;
            }
            catch (InvalidHyperparameterException ex)
            {
                log.Warning($"invalid hyperparameters: {ex.Message}; reporting INVALID_HP");
                await session.ReportEarlyExitAsync(EarlyExitReason.InvalidHp, cancellationToken);
                return HarnessExitCodes.Success;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                await options.Error.WriteLineAsync($"trial {env.Ids.TrialId} failed: {ex}");
                return HarnessExitCodes.TrialFailed;
            }
        }
    }
}
