using System.Globalization;
using System.Threading.Channels;
using Determinant.Harness.Hosting;

namespace Determinant.Harness.TensorBoard;

/// <summary>
/// Writes the trial's training and validation scalars as TensorBoard event files into
/// <c>&lt;storage&gt;/&lt;cluster_id&gt;/tensorboard/experiment/&lt;exp&gt;/trial/&lt;trial&gt;/</c> (REFERENCE.md §7.5), from a
/// background task so that training never waits on the disk.
/// </summary>
/// <remarks>
/// The first failure (an unwritable directory, a full disk) is logged once and switches the writer off; training goes on.
/// The file is flushed after each batch of queued events, so a TensorBoard reading it live sees every finished step.
/// </remarks>
internal sealed class TensorBoardWriter : IAsyncDisposable
{
    private static int s_files;
    private readonly Channel<PendingEvent> _queue = Channel.CreateUnbounded<PendingEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly string _directory;
    private readonly string _fileName;
    private readonly HarnessLog _log;
    private readonly TimeProvider _time;
    private readonly Task _worker;
    private FileStream? _file;
    private volatile bool _failed;

    public TensorBoardWriter(string directory, HarnessLog log, TimeProvider time)
    {
        _directory = directory;
        _log = log;
        _time = time;
        // TensorBoard finds files by "tfevents" in the name; host, process and a counter keep concurrent writers apart.
        _fileName = string.Create(CultureInfo.InvariantCulture,
            $"events.out.tfevents.{time.GetUtcNow().ToUnixTimeSeconds()}.{Environment.MachineName}.{Environment.ProcessId}.{Interlocked.Increment(ref s_files)}");
        _worker = Task.Run(RunAsync);
    }

    /// <summary>The directory of the trial's event files.</summary>
    public string Directory => _directory;

    /// <summary>Where the events go, once the first one is written.</summary>
    public string FilePath => Path.Combine(_directory, _fileName);

    /// <summary>The directory for one trial under a checkpoint storage base (REFERENCE.md §7.5).</summary>
    public static string TrialDirectory(string storageBase, string clusterId, int experimentId, int trialId) =>
        Path.Combine(storageBase, clusterId, "tensorboard", "experiment", experimentId.ToString(CultureInfo.InvariantCulture),
            "trial", trialId.ToString(CultureInfo.InvariantCulture));

    /// <summary>The tag of a metric: training metrics keep their name; validation metrics start with <c>val</c> (as Determined's writer does), so validation <c>loss</c> becomes <c>val_loss</c>.</summary>
    public static string Tag(string metric, bool validation) =>
        validation && !metric.StartsWith("val", StringComparison.Ordinal) ? "val_" + metric : metric;

    /// <summary>Queues one event holding <paramref name="metrics"/> at <paramref name="steps"/>; never blocks and never throws.</summary>
    public void WriteScalars(ulong steps, IReadOnlyDictionary<string, double> metrics, bool validation)
    {
        if (_failed || metrics.Count == 0)
            return;
        var scalars = metrics.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(Tag(p.Key, validation), p.Value)).ToArray();
        _queue.Writer.TryWrite(new PendingEvent(WallTime(), (long)Math.Min(steps, long.MaxValue), scalars));
    }

    /// <summary>Writes what is queued and closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _worker;
        if (_file is not null)
            await _file.DisposeAsync();
    }

    private double WallTime() => _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    private async Task RunAsync()
    {
        while (await _queue.Reader.WaitToReadAsync())
        {
            try
            {
                while (_queue.Reader.TryRead(out var pending))
                {
                    if (_failed)
                        continue;
                    var file = _file ??= Open();
                    TfRecord.Write(file, EventProto.ScalarsEvent(pending.WallTime, pending.Step, pending.Scalars));
                }

                if (_file is not null && !_failed)
                    await _file.FlushAsync();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                _failed = true;
                _log.Warning($"cannot write TensorBoard events to {FilePath}: {ex.Message}; training continues without TensorBoard events");
            }
        }
    }

    private FileStream Open()
    {
        System.IO.Directory.CreateDirectory(_directory);
        var file = new FileStream(FilePath, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        TfRecord.Write(file, EventProto.FileVersionEvent(WallTime()));
        return file;
    }

    private sealed record PendingEvent(double WallTime, long Step, KeyValuePair<string, double>[] Scalars);
}
