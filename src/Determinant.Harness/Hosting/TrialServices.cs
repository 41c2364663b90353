using Determinant.Harness.Checkpoints;
using Determinant.Harness.Distributed;
using Determinant.Harness.Loop;
using Determinant.Harness.Reporting;
using Determinant.Harness.TensorBoard;

namespace Determinant.Harness.Hosting;

/// <summary>
/// What both kinds of trial process share, the harness's loop and a <see cref="CoreContext"/> script: the log, retries,
/// the background reporter, the TensorBoard writer and the session over them. Disposal flushes the reports and events.
/// </summary>
internal sealed class TrialServices : IAsyncDisposable
{
    private readonly HttpClient? _http;
    private readonly BackgroundReporter _reporter;
    private readonly TensorBoardWriter? _tensorBoard;

    private TrialServices(HarnessEnvironment env, ICoreApi? coreApi, HarnessOptions options)
    {
        _http = coreApi is null ? new HttpClient { BaseAddress = new Uri(env.MasterUrl!.TrimEnd('/') + "/") } : null;
        var api = coreApi ?? new HttpCoreApi(_http!, env.SessionToken);
        Log = new HarnessLog(options.Output, options.Time);
        var retry = new RetryPolicy(options.Time, Log) { GiveUpAfter = options.RetryFor };
        _reporter = new BackgroundReporter(api, retry, Log, options.Time, options.FlushTimeout);
        _tensorBoard = CreateTensorBoard(env, Log, options.Time);
        Session = new TrialSession(api, _reporter, retry, Log, options.Time, env.Ids, _tensorBoard);
    }

    public HarnessLog Log { get; }

    public TrialSession Session { get; }

    /// <summary>The trial's TensorBoard directory, or null when events cannot be written there.</summary>
    public string? TensorBoardDirectory => _tensorBoard?.Directory;

    /// <exception cref="ArgumentException">There is neither <paramref name="coreApi"/> nor <c>DET_MASTER</c>.</exception>
    public static TrialServices Start(HarnessEnvironment env, ICoreApi? coreApi, HarnessOptions options)
    {
        if (coreApi is null && env.MasterUrl is null)
            throw new ArgumentException("DET_MASTER is not set; the harness needs the master's URL");
        return new TrialServices(env, coreApi, options);
    }

    /// <summary>
    /// In a distributed trial, connects this worker to the others (a rendezvous through the master, then the TCP ring,
    /// or <see cref="HarnessOptions.ConnectWorkers"/>) and gives the session the group; a single worker does nothing.
    /// </summary>
    /// <exception cref="ArgumentException">The optimizations config is invalid.</exception>
    /// <exception cref="CollectiveException">The rendezvous or the connections failed.</exception>
    public async Task ConnectWorkersAsync(HarnessEnvironment env, HarnessOptions options, CancellationToken cancellationToken)
    {
        var place = env.Distributed;
        if (place.Size == 1)
            return;
        var settings = env.DistributedOptions();
        ICollectives collectives;
        if (options.ConnectWorkers is { } connect)
        {
            collectives = await connect(place, settings.CollectiveTimeout, cancellationToken);
        }
        else
        {
            var rendezvous = new MasterRendezvous(_http!, env.Ids.AllocationId, place.Rank, place.Size);
            var address = MasterRendezvous.LocalAddressToward(_http!.BaseAddress!.Host);
            collectives = await TcpRingCollectives.ConnectAsync(place.Rank, place.Size, address, rendezvous.AllGatherAsync, settings.CollectiveTimeout, cancellationToken);
        }

        Session.Group = new WorkerGroup(collectives, settings);
        Log.Info($"worker {place.Rank} of {place.Size} connected (local rank {place.LocalRank} of {place.LocalSize}, node {place.CrossRank} of {place.CrossSize})");
    }

    public async ValueTask DisposeAsync()
    {
        Session.Group?.Dispose();
        await _reporter.DisposeAsync();
        if (_tensorBoard is not null)
            await _tensorBoard.DisposeAsync();
        _http?.Dispose();
    }

    private static TensorBoardWriter? CreateTensorBoard(HarnessEnvironment env, HarnessLog log, TimeProvider time)
    {
        string storage;
        try
        {
            storage = CheckpointStorage.BaseDirectory(env.Config.CheckpointStorage);
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException)
        {
            log.Warning($"no TensorBoard events: {ex.Message}");
            return null;
        }

        var directory = TensorBoardWriter.TrialDirectory(storage, env.ClusterId, env.Ids.ExperimentId, env.Ids.TrialId);
        return new TensorBoardWriter(directory, log, time);
    }
}
