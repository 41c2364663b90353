using System.Text.Json;
using Determinant.Searchers.Methods;
using Determinant.Searchers.Sampling;

namespace Determinant.Searchers.Persistence;

/// <summary>
/// The snapshot layout: the §3.1 bookkeeping (one row per requested trial, in request order), the RNG, then the
/// method's own state. Rows are arrays rather than objects because a large search writes thousands of them.
/// </summary>
internal static class SnapshotWriter
{
    public static void Write(Utf8JsonWriter writer, int format, ISearchMethod method, SearchState state, bool started, bool shutdown, double progress)
    {
        writer.WriteStartObject();
        writer.WriteNumber("format", format);
        writer.WriteString("method", method.Name);
        writer.WriteBoolean("started", started);
        writer.WriteBoolean("shutdown", shutdown);
        writer.WriteNumber("progress", progress);
        writer.WriteNumber("trials_requested", state.Requested);
        writer.WriteNumber("trials_closed", state.ClosedCount);
        writer.WriteNumber("trials_closed_valid", state.ClosedValidCount);
        writer.WriteNumber("cancels", state.Cancels);
        writer.WriteNumber("failures", state.Failures);
        writer.WriteNumber("open_units", state.OpenUnits);
        writer.WriteNumber("total_units", state.TotalUnits);

        writer.WriteStartObject("rng");
        writer.WriteNumber("position", state.Rng.Position);
        Span<byte> key = stackalloc byte[MersenneTwister.StateWords * 4];
        state.Rng.WriteState(key);
        writer.WriteBase64String("key", key);
        writer.WriteEndObject();

        // Each trial: [request id, flags, units, pending op length, last completed length, completed op count].
        writer.WriteStartArray("trials");
        foreach (var (id, record) in state.Trials)
        {
            writer.WriteStartArray();
            writer.WriteStringValue(id.Value);
            writer.WriteNumberValue(record.Flags);
            writer.WriteNumberValue(record.Units);
            writer.WriteNumberValue(record.PendingLength);
            writer.WriteNumberValue(record.CompletedLength);
            writer.WriteNumberValue(record.CompletedOps);
            writer.WriteEndArray();
        }
        writer.WriteEndArray();

        writer.WritePropertyName("method_state");
        method.WriteState(writer);
        writer.WriteEndObject();
    }

    public static (bool Started, bool Shutdown, double Progress) Read(JsonElement root, ISearchMethod method, SearchState state)
    {
        state.Requested = root.GetProperty("trials_requested").GetInt32();
        state.ClosedCount = root.GetProperty("trials_closed").GetInt32();
        state.ClosedValidCount = root.GetProperty("trials_closed_valid").GetInt32();
        state.Cancels = root.GetProperty("cancels").GetInt32();
        state.Failures = root.GetProperty("failures").GetInt32();
        state.OpenUnits = root.GetProperty("open_units").GetDouble();
        state.TotalUnits = root.GetProperty("total_units").GetDouble();

        var rng = root.GetProperty("rng");
        state.Rng = MersenneTwister.FromState(rng.GetProperty("key").GetBytesFromBase64(), rng.GetProperty("position").GetInt32());

        foreach (var row in root.GetProperty("trials").EnumerateArray())
        {
            var record = new TrialRecord
            {
                Units = row[2].GetDouble(),
                PendingLength = row[3].GetUInt64(),
                CompletedLength = row[4].GetUInt64(),
                CompletedOps = row[5].GetInt32(),
            };
            record.SetFlags(row[1].GetInt32());
            state.Add(new RequestId(row[0].GetGuid()), record);
        }

        method.ReadState(root.GetProperty("method_state"));
        return (root.GetProperty("started").GetBoolean(), root.GetProperty("shutdown").GetBoolean(), root.GetProperty("progress").GetDouble());
    }
}
