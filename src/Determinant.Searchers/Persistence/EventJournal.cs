using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;

namespace Determinant.Searchers.Persistence;

/// <summary>One compact JSON line per searcher event, so a saved searcher can append events instead of rewriting its state.</summary>
[SuppressMessage("Design", "CA1001", Justification = "The writer only wraps an in-memory buffer; disposing it would release nothing.")]
internal sealed class EventJournal
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private readonly Utf8JsonWriter _writer;

    public EventJournal() => _writer = new Utf8JsonWriter(_buffer);

    public string Write(SearcherEvent searcherEvent)
    {
        // One writer and buffer for every line: a line is written per event, so this is the hot path of Save().
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        var writer = _writer;
        writer.WriteStartObject();
        switch (searcherEvent)
        {
            case SearchStarted:
                writer.WriteString("e", "start");
                break;
            case TrialCreated e:
                WriteHead(writer, "created", e.RequestId);
                break;
            case ValidationCompleted e:
                WriteHead(writer, "validated", e.RequestId);
                WriteDouble(writer, "metric", e.Metric);
                writer.WriteNumber("length", e.Operation.Length);
                break;
            case TrialExitedEarly e:
                WriteHead(writer, "exited", e.RequestId);
                writer.WriteString("reason", ReasonName(e.Reason));
                break;
            case TrialClosed e:
                WriteHead(writer, "closed", e.RequestId);
                break;
            case TrialProgressed e:
                WriteHead(writer, "progress", e.RequestId);
                WriteDouble(writer, "units", e.Units);
                break;
            default:
                throw new ArgumentException($"unknown searcher event {searcherEvent.GetType().Name}", nameof(searcherEvent));
        }
        writer.WriteEndObject();
        writer.Flush();
        return Encoding.UTF8.GetString(_buffer.WrittenSpan);
    }

    /// <exception cref="FormatException">The line is not a journal line.</exception>
    public static SearcherEvent Read(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        var kind = root.GetProperty("e").GetString();
        if (kind == "start")
            return new SearchStarted();
        var id = new RequestId(root.GetProperty("id").GetGuid());
        return kind switch
        {
            "created" => new TrialCreated(id),
            "validated" => new ValidationCompleted(id, ReadDouble(root.GetProperty("metric")), new ValidateAfter(id, root.GetProperty("length").GetUInt64())),
            "exited" => new TrialExitedEarly(id, ParseReason(root.GetProperty("reason").GetString())),
            "closed" => new TrialClosed(id),
            "progress" => new TrialProgressed(id, ReadDouble(root.GetProperty("units"))),
            _ => throw new FormatException($"unknown journal event '{kind}'"),
        };
    }

    public static string ReasonName(ExitedReason reason) => reason switch
    {
        ExitedReason.InvalidHp => "INVALID_HP",
        ExitedReason.Errored => "ERRORED",
        ExitedReason.UserCanceled => "USER_CANCELED",
        ExitedReason.UserRequestedStop => "USER_REQUESTED_STOP",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "unknown exit reason"),
    };

    private static ExitedReason ParseReason(string? name) => name switch
    {
        "INVALID_HP" => ExitedReason.InvalidHp,
        "ERRORED" => ExitedReason.Errored,
        "USER_CANCELED" => ExitedReason.UserCanceled,
        "USER_REQUESTED_STOP" => ExitedReason.UserRequestedStop,
        _ => throw new FormatException($"unknown exit reason '{name}'"),
    };

    private static void WriteHead(Utf8JsonWriter writer, string kind, RequestId id)
    {
        writer.WriteString("e", kind);
        writer.WriteString("id", id.Value);
    }

    // JSON has no NaN or infinities; metrics and progress can be either, and the journal must replay them exactly.
    private static void WriteDouble(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value))
            writer.WriteNumber(name, value);
        else
            writer.WriteString(name, value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static double ReadDouble(JsonElement element) => element.ValueKind == JsonValueKind.String
        ? double.Parse(element.GetString()!, System.Globalization.CultureInfo.InvariantCulture)
        : element.GetDouble();
}
