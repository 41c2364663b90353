using System.Text.Json;

namespace Determinant.Searchers.Methods;

/// <summary>Saving and restoring a bracket: trials in creation order, then each rung's entries in sorted order.</summary>
internal sealed partial class AshaBracket
{
    public void WriteState(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteNumber("invalid", _invalid);
        writer.WriteNumber("closed", _closed);
        writer.WriteStartArray("trials");
        foreach (var trial in _trials)
        {
            writer.WriteStartArray();
            writer.WriteStringValue(trial.Id.Value);
            writer.WriteNumberValue(trial.Rung);
            writer.WriteNumberValue(trial.Flags);
            writer.WriteEndArray();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("rungs");
        foreach (var rung in _rungs)
        {
            writer.WriteStartObject();
            writer.WriteNumber("outstanding", rung.Outstanding);
            writer.WriteBoolean("dirty", rung.Dirty);
            // Each entry: [trial index, value, promoted (0/1)].
            writer.WriteStartArray("entries");
            foreach (var entry in rung.Entries)
            {
                writer.WriteStartArray();
                writer.WriteNumberValue(entry.Trial.Index);
                writer.WriteNumberValue(entry.Value);
                writer.WriteNumberValue(entry.Promoted ? 1 : 0);
                writer.WriteEndArray();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public void ReadState(JsonElement element)
    {
        _invalid = element.GetProperty("invalid").GetInt32();
        _closed = element.GetProperty("closed").GetInt32();
        _trials.Clear();
        _byId.Clear();
        foreach (var row in element.GetProperty("trials").EnumerateArray())
        {
            var trial = new AshaTrial(new RequestId(row[0].GetGuid()), _trials.Count) { Rung = row[1].GetInt32() };
            trial.SetFlags(row[2].GetInt32());
            _trials.Add(trial);
            _byId.Add(trial.Id, trial);
        }
        var rungs = element.GetProperty("rungs");
        if (rungs.GetArrayLength() != _rungs.Length)
            throw new FormatException($"the snapshot's bracket has {rungs.GetArrayLength()} rungs, the config gives {_rungs.Length}");
        var r = 0;
        foreach (var saved in rungs.EnumerateArray())
        {
            var rung = _rungs[r++];
            rung.Outstanding = saved.GetProperty("outstanding").GetInt32();
            rung.Dirty = saved.GetProperty("dirty").GetBoolean();
            rung.Entries.Clear();
            foreach (var row in saved.GetProperty("entries").EnumerateArray())
                rung.Entries.Add(new AshaEntry(_trials[row[0].GetInt32()], row[1].GetDouble()) { Promoted = row[2].GetInt32() != 0 });
        }
    }
}
