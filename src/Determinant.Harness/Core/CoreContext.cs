using Determinant.Harness.Checkpoints;
using Determinant.Harness.Hosting;

namespace Determinant.Harness;

/// <summary>
/// The Core API for a trial whose entrypoint is a command (<c>dotnet run</c>, a script) rather than a trial class: report
/// metrics, store and restore checkpoints, follow the searcher's operations and the stop signal (REFERENCE.md §2.8, §7).
/// </summary>
/// <remarks>
/// Built on the same <see cref="ICoreApi"/>, background reporter, retries, checkpoint writer and TensorBoard writer as the
/// harness's own training loop. Dispose it before the process exits (<c>await using</c>): disposal sends what is still
/// queued, waiting at most <see cref="HarnessOptions.FlushTimeout"/>.
/// <code>
/// await using var core = CoreContext.FromEnvironment();
/// await foreach (var op in core.Searcher.OperationsAsync())
/// {
///     // train up to op.Length, reporting with core.Train; validate; then:
///     await op.CompleteAsync(accuracy);
/// }
/// </code>
/// </remarks>
public sealed class CoreContext : IAsyncDisposable
{
    private readonly TrialServices _services;
    private readonly HarnessEnvironment _env;
    private readonly Lazy<TrialContext> _trial;

    private CoreContext(HarnessEnvironment env, TrialServices services, DistributedContext distributed, HarnessOptions options)
    {
        _env = env;
        _services = services;
        Distributed = distributed;
        var session = services.Session;
        Train = new TrainContext(session);
        Checkpoints = new CheckpointContext(session, new Lazy<string>(() => CheckpointStorage.BaseDirectory(env.Config.CheckpointStorage)), options.NewCheckpointUuid);
        Searcher = new SearcherContext(session);
        Preemption = new PreemptionContext(session);
        _trial = new Lazy<TrialContext>(() =>
        {
            TorchRuntime.EnsureLoaded();
            return env.ToTrialContext();
        });
    }

    /// <summary>Metrics reports.</summary>
    public TrainContext Train { get; }

    /// <summary>Checkpoints in the experiment's checkpoint storage.</summary>
    public CheckpointContext Checkpoints { get; }

    /// <summary>The searcher's operations for this trial.</summary>
    public SearcherContext Searcher { get; }

    /// <summary>The stop signal.</summary>
    public PreemptionContext Preemption { get; }

    /// <summary>This process's rank among the trial's workers; one worker unless the rank variables are set.</summary>
    public DistributedContext Distributed { get; }

    /// <summary>The trial's hyperparameters, config, seed and ids, with typed hyperparameter accessors.</summary>
    /// <remarks>The first use loads TorchSharp's native libraries (the context carries a torch device).</remarks>
    /// <exception cref="InvalidOperationException">TorchSharp's native libraries cannot be loaded.</exception>
    public TrialContext Trial => _trial.Value;

    /// <summary>The checkpoint to resume from (<c>DET_LATEST_CHECKPOINT</c>), or null on a fresh start.</summary>
    public string? LatestCheckpoint => _env.LatestCheckpoint;

    /// <summary>Batches in <see cref="LatestCheckpoint"/> (<c>DET_STEPS_COMPLETED</c>); 0 on a fresh start or a warm start.</summary>
    public ulong StepsCompleted => _env.StepsCompleted;

    /// <summary>Where the trial's TensorBoard event files are written, or null when the checkpoint storage is not a file system.</summary>
    public string? TensorBoardDirectory => _services.TensorBoardDirectory;

    /// <summary>A context for this process, from its <c>DET_*</c> and rank variables (REFERENCE.md §7.1), talking HTTP to <c>DET_MASTER</c>.</summary>
    /// <exception cref="ArgumentException">A variable is missing or malformed; the message names it.</exception>
    public static CoreContext FromEnvironment() => FromEnvironment(HarnessEnvironment.FromProcess(), coreApi: null, options: null);

    /// <summary>A context from the given variables, talking to the master through <paramref name="coreApi"/>.</summary>
    /// <param name="environment">The <c>DET_*</c> variables (§7.1) and, for several workers, the rank variables.</param>
    /// <param name="coreApi">The master; null builds an <see cref="HttpCoreApi"/> from <c>DET_MASTER</c> and <c>DET_SESSION_TOKEN</c>.</param>
    /// <param name="options">Clock, log output, retry and flush limits, and checkpoint uuids; defaults when null.</param>
    /// <exception cref="ArgumentException">A variable is missing or malformed; the message names it.</exception>
    public static CoreContext FromEnvironment(IReadOnlyDictionary<string, string?> environment, ICoreApi? coreApi, HarnessOptions? options)
    {
        ArgumentNullException.ThrowIfNull(environment);
        options ??= new HarnessOptions();
        var env = HarnessEnvironment.Parse(environment);
        var distributed = DistributedContext.FromEnvironment(environment);
        return new CoreContext(env, TrialServices.Start(env, coreApi, options), distributed, options);
    }

    /// <summary>Waits until every queued metrics and progress report has been sent, or given up on after retries.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) => _services.Session.FlushAsync(cancellationToken);

    /// <summary>Sends what is still queued (bounded by <see cref="HarnessOptions.FlushTimeout"/>) and closes the TensorBoard files.</summary>
    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
