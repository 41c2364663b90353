using System.Reflection;
using Determinant.Harness;
using Determinant.ModelDefinitions;

namespace Determinant.Client.Torch;

/// <summary>Loads a trial back from a checkpoint the harness wrote, so that predicting takes a few lines.</summary>
/// <remarks>
/// The trial class is rebuilt from the code stored with the checkpoint (its <c>code/</c> folder, else a model definition
/// directory given explicitly, such as one from <see cref="Experiment.DownloadModelDefinitionAsync"/>), compiled with
/// Roslyn against the harness this process runs, constructed with the checkpoint's hyperparameters and experiment config
/// from <c>load.json</c>, and given the checkpoint's weights. Optimizer and loop state are not loaded.
/// </remarks>
public static class TrialCheckpoints
{
    private static readonly Lock CompilerLock = new();
    private static ModelDefinitionCompiler? s_compiler;
    private static string? s_compilerKey;

    /// <summary>Loads the trial of the downloaded checkpoint in <paramref name="checkpointDirectory"/>, compiling the code stored in it.</summary>
    /// <param name="checkpointDirectory">A checkpoint directory, such as one <see cref="Checkpoint.DownloadAsync(string, CheckpointDownloadMode, IProgress{long}?, CancellationToken)"/> made.</param>
    /// <param name="options">Device and cache; null for the CPU and the default cache.</param>
    /// <param name="cancellationToken">Cancels the compilation.</param>
    /// <returns>The trial with its weights loaded.</returns>
    /// <exception cref="InvalidDataException">
    /// The directory is not a harness checkpoint (no <c>load.json</c>), holds no code, the code does not compile (every
    /// compiler error is in the message), or the weights do not fit the rebuilt models.
    /// </exception>
    /// <exception cref="InvalidOperationException">The trial's constructor threw; the inner exception says why.</exception>
    public static LoadedTrial Load(string checkpointDirectory, TrialLoadOptions? options, CancellationToken cancellationToken) =>
        Load(checkpointDirectory, Path.Combine(checkpointDirectory, "code"), options, cancellationToken);

    /// <summary>Loads the trial of a checkpoint with the model definition in <paramref name="modelDefinitionDirectory"/>.</summary>
    /// <param name="checkpointDirectory">A checkpoint directory.</param>
    /// <param name="modelDefinitionDirectory">The model definition (the experiment's code); its <c>*.cs</c> files are compiled.</param>
    /// <param name="options">Device and cache; null for the CPU and the default cache.</param>
    /// <param name="cancellationToken">Cancels the compilation.</param>
    /// <returns>The trial with its weights loaded.</returns>
    /// <exception cref="InvalidDataException">The checkpoint or the code cannot be used; the message says which file and why.</exception>
    /// <exception cref="InvalidOperationException">The trial's constructor threw; the inner exception says why.</exception>
    public static LoadedTrial Load(string checkpointDirectory, string modelDefinitionDirectory, TrialLoadOptions? options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointDirectory);
        ArgumentException.ThrowIfNullOrEmpty(modelDefinitionDirectory);
        options ??= new TrialLoadOptions();
        var directory = Path.GetFullPath(checkpointDirectory);
        var spec = CheckpointLoadSpec.Read(directory);
        if (!Directory.Exists(modelDefinitionDirectory))
            throw new InvalidDataException($"{modelDefinitionDirectory} does not exist: the checkpoint has no stored code; pass the experiment's model definition directory");
        var sources = ModelDefinitionSources.ReadDirectory(modelDefinitionDirectory);
        var compiled = Compiler(options).Compile(sources, spec.Entrypoint, cancellationToken);
        if (!compiled.Success)
            throw new InvalidDataException($"the model definition in {modelDefinitionDirectory} does not compile for entrypoint {spec.Entrypoint}:\n"
                + string.Join('\n', compiled.Errors));
        var trialType = TrialAssemblyLoader.LoadTrialType(compiled.AssemblyPath!, compiled.TrialTypeName!);
        var context = new TrialContext
        {
            Hyperparameters = spec.Hyperparameters,
            ExperimentConfig = spec.Config,
            ExperimentId = spec.ExperimentId,
            TrialId = spec.TrialId,
            Device = options.Device,
            ModelDefinitionDirectory = Path.GetFullPath(modelDefinitionDirectory),
        };
        TorchTrial trial;
        try
        {
            trial = (TorchTrial)Activator.CreateInstance(trialType, context)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new InvalidOperationException($"the constructor of {trialType.FullName} failed: {e.InnerException.Message}", e.InnerException);
        }
        try
        {
            if (trial.Models.Count == 0)
                throw new InvalidDataException($"{trialType.FullName} wraps no model (WrapModel), so there are no weights to load");
            Harness.Checkpoints.CheckpointRestorer.WarmStart(trial, directory);
            foreach (var model in trial.Models)
                model.eval();
            return new LoadedTrial(trial, trial.Models, directory);
        }
        catch
        {
            trial.Dispose();
            throw;
        }
    }

    private static ModelDefinitionCompiler Compiler(TrialLoadOptions options)
    {
        var harness = options.HarnessDirectory ?? Path.GetDirectoryName(typeof(TorchTrial).Assembly.Location)
            ?? throw new InvalidOperationException("the harness assembly's folder is unknown; set TrialLoadOptions.HarnessDirectory");
        var cache = options.CacheDirectory ?? DefaultCacheDirectory();
        var key = harness + "\n" + cache;
        lock (CompilerLock)
        {
            if (s_compiler is null || s_compilerKey != key)
            {
                s_compiler = new ModelDefinitionCompiler(new ModelDefinitionCompilerOptions { HarnessDirectory = harness, CacheDirectory = cache });
                s_compilerKey = key;
            }
            return s_compiler;
        }
    }

    private static string DefaultCacheDirectory()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = !string.IsNullOrEmpty(xdg) ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "determinant", "models");
    }
}
