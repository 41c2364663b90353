using System.Text.Json;
using System.Text.Json.Nodes;

namespace Determinant.Searchers.Methods;

/// <summary>Saving and restoring the population: one row per member, its hyperparameters as plain JSON.</summary>
internal sealed partial class PbtSearch
{
    public void WriteState(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteNumber("rounds_completed", _roundsCompleted);
        writer.WriteNumber("reported", _reported);
        writer.WriteBoolean("done", _done);
        // Each member: [request id, hparams, rounds done, metric or null, exited (0/1), parent or null].
        writer.WriteStartArray("members");
        foreach (var member in _members)
        {
            writer.WriteStartArray();
            writer.WriteStringValue(member.Id.Value);
            member.Hparams.WriteTo(writer);
            writer.WriteNumberValue(member.RoundsDone);
            if (member.Metric is { } metric)
                writer.WriteNumberValue(metric);
            else
                writer.WriteNullValue();
            writer.WriteNumberValue(member.Exited ? 1 : 0);
            if (member.Parent is { } parent)
                writer.WriteStringValue(parent.Value);
            else
                writer.WriteNullValue();
            writer.WriteEndArray();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public void ReadState(JsonElement element)
    {
        _roundsCompleted = element.GetProperty("rounds_completed").GetInt32();
        _reported = element.GetProperty("reported").GetInt32();
        _done = element.GetProperty("done").GetBoolean();
        _members.Clear();
        foreach (var row in element.GetProperty("members").EnumerateArray())
        {
            var hparams = JsonNode.Parse(row[1].GetRawText()) as JsonObject
                ?? throw new FormatException("a PBT member's hyperparameters must be a JSON object");
            RequestId? parent = row[5].ValueKind == JsonValueKind.Null ? null : new RequestId(row[5].GetGuid());
            _members.Add(new PbtMember(new RequestId(row[0].GetGuid()), hparams, parent)
            {
                RoundsDone = row[2].GetInt32(),
                Metric = row[3].ValueKind == JsonValueKind.Null ? null : row[3].GetDouble(),
                Exited = row[4].GetInt32() != 0,
            });
        }
    }
}
