using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Determinant.Config;
using Determinant.Searchers.Persistence;
using Determinant.Searchers.Sampling;

namespace Determinant.Searchers;

/// <summary>
/// Saving and restoring. <see cref="Snapshot"/> writes the whole state; <see cref="Save"/> is the cheap way to persist
/// after every event: mostly one journal line, and a fresh snapshot once the journal outgrows the last one.
/// </summary>
public sealed partial class Searcher
{
    private const int SnapshotFormat = 1;
    private readonly ArrayBufferWriter<byte> _snapshotBuffer = new(4096);
    private EventJournal? _journal;
    private List<SearcherEvent>? _pending;
    private long _journalChars;
    private long _snapshotChars;

    /// <summary>The whole state (RNG, bookkeeping, method state) as JSON.</summary>
    public string Snapshot()
    {
        _snapshotBuffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_snapshotBuffer))
            SnapshotWriter.Write(writer, SnapshotFormat, _method, _state, _started, _shutdown, _progress);
        return Encoding.UTF8.GetString(_snapshotBuffer.WrittenSpan);
    }

    /// <summary>Rebuilds a searcher from <see cref="Snapshot"/>; it continues exactly as the saved one would have.</summary>
    /// <remarks>Pass the same searcher config and hyperparameters the snapshot was taken with.</remarks>
    /// <exception cref="FormatException">The snapshot is not one of ours, or belongs to another method or grid.</exception>
    public static Searcher Restore(string snapshot, SearcherConfig config, ImmutableSortedDictionary<string, Hyperparameter> hyperparameters)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        using var document = JsonDocument.Parse(snapshot);
        var root = document.RootElement;
        if (root.GetProperty("format").GetInt32() != SnapshotFormat)
            throw new FormatException($"unknown searcher snapshot format {root.GetProperty("format")}");
        var searcher = new Searcher(config, hyperparameters, new MersenneTwister(0));
        var method = root.GetProperty("method").GetString();
        if (method != searcher._method.Name)
            throw new FormatException($"the snapshot is of a {method} search, the config asks for {searcher._method.Name}");
        (searcher._started, searcher._shutdown, searcher._progress) = SnapshotWriter.Read(root, searcher._method, searcher._state);
        return searcher;
    }

    /// <summary>
    /// What to persist now that the latest events are handled. The first call returns a snapshot; later calls return
    /// the events since the previous call as journal lines, or a snapshot once the journal holds more text than the
    /// stored snapshot — so saving after every event costs O(1) amortised and a restore replays at most that much.
    /// </summary>
    public SearcherSave Save()
    {
        if (_journal is null || _pending is null)
        {
            _journal = new EventJournal();
            return SaveSnapshot();
        }
        var lines = new string[_pending.Count];
        for (var i = 0; i < lines.Length; i++)
        {
            lines[i] = _journal.Write(_pending[i]);
            _journalChars += lines[i].Length;
        }
        if (_journalChars > _snapshotChars)
            return SaveSnapshot();
        _pending.Clear();
        return new SearcherSave(null, lines);
    }

    /// <summary>Rebuilds a searcher from what <see cref="Save"/> produced: the latest snapshot and the journal lines stored after it.</summary>
    /// <exception cref="FormatException">The snapshot or a journal line is not one of ours.</exception>
    public static Searcher Restore(
        string snapshot, IEnumerable<string> journal, SearcherConfig config, ImmutableSortedDictionary<string, Hyperparameter> hyperparameters)
    {
        ArgumentNullException.ThrowIfNull(journal);
        var searcher = Restore(snapshot, config, hyperparameters);
        long chars = 0;
        foreach (var line in journal)
        {
            // The operations these events produced were carried out before the save; replaying only rebuilds state.
            searcher.Handle(EventJournal.Read(line));
            chars += line.Length;
        }
        searcher._journal = new EventJournal();
        searcher._pending = [];
        searcher._snapshotChars = snapshot.Length;
        searcher._journalChars = chars;
        return searcher;
    }

    private SearcherSave SaveSnapshot()
    {
        var snapshot = Snapshot();
        _snapshotChars = snapshot.Length;
        _journalChars = 0;
        _pending = [];
        return new SearcherSave(snapshot, []);
    }
}
