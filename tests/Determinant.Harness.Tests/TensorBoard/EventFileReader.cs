using System.Buffers.Binary;
using System.Text;

namespace Determinant.Harness.Tests.TensorBoard;

/// <summary>
/// Reads a TensorBoard event file back: checks each TFRecord's length and data CRCs and decodes the Event protobuf
/// fields that matter (wall_time, step, file_version, summary values with tag and simple_value), skipping others.
/// </summary>
internal static class EventFileReader
{
    public static List<EventRecord> Read(string path)
    {
        var bytes = File.ReadAllBytes(path).AsSpan();
        var events = new List<EventRecord>();
        while (bytes.Length > 0)
        {
            Assert.True(bytes.Length >= 12, $"{path}: a truncated record header");
            var length = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            Assert.Equal(Crc32CReference.Masked(bytes[..8]), BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]));
            Assert.True((ulong)bytes.Length >= 16 + length, $"{path}: a truncated record");
            var data = bytes.Slice(12, (int)length);
            Assert.Equal(Crc32CReference.Masked(data), BinaryPrimitives.ReadUInt32LittleEndian(bytes[(12 + (int)length)..]));
            events.Add(DecodeEvent(data));
            bytes = bytes[(16 + (int)length)..];
        }

        return events;
    }

    private static EventRecord DecodeEvent(ReadOnlySpan<byte> data)
    {
        var wallTime = 0.0;
        var step = 0L;
        string? fileVersion = null;
        var scalars = new List<(string Tag, float Value)>();
        foreach (var (field, wire, value, payload) in Fields(data.ToArray()))
        {
            switch (field, wire)
            {
                case (1, 1): wallTime = BitConverter.Int64BitsToDouble((long)value); break;
                case (2, 0): step = (long)value; break;
                case (3, 2): fileVersion = Encoding.UTF8.GetString(payload!); break;
                case (5, 2): scalars.AddRange(DecodeSummary(payload!)); break;
                default: break;
            }
        }

        return new EventRecord(wallTime, step, fileVersion, scalars);
    }

    private static IEnumerable<(string Tag, float Value)> DecodeSummary(byte[] summary)
    {
        foreach (var (field, wire, _, entry) in Fields(summary))
        {
            Assert.Equal((1, 2), (field, wire));
            string? tag = null;
            float? value = null;
            foreach (var (f, w, v, p) in Fields(entry!))
            {
                if ((f, w) == (1, 2))
                    tag = Encoding.UTF8.GetString(p!);
                else if ((f, w) == (2, 5))
                    value = BitConverter.Int32BitsToSingle((int)v);
            }

            yield return (tag ?? throw new InvalidDataException("a summary value without a tag"), value ?? throw new InvalidDataException($"{tag} has no simple_value"));
        }
    }

    // (field number, wire type, the varint or fixed value, the bytes of a length-delimited field)
    private static List<(int Field, int Wire, ulong Value, byte[]? Payload)> Fields(byte[] message)
    {
        var fields = new List<(int, int, ulong, byte[]?)>();
        var position = 0;
        while (position < message.Length)
        {
            var key = Varint(message, ref position);
            var (field, wire) = ((int)(key >> 3), (int)(key & 7));
            switch (wire)
            {
                case 0: fields.Add((field, wire, Varint(message, ref position), null)); break;
                case 1: fields.Add((field, wire, BinaryPrimitives.ReadUInt64LittleEndian(message.AsSpan(position)), null)); position += 8; break;
                case 5: fields.Add((field, wire, BinaryPrimitives.ReadUInt32LittleEndian(message.AsSpan(position)), null)); position += 4; break;
                case 2:
                    var length = (int)Varint(message, ref position);
                    fields.Add((field, wire, 0, message.AsSpan(position, length).ToArray()));
                    position += length;
                    break;
                default: throw new InvalidDataException($"wire type {wire} at byte {position}");
            }
        }

        return fields;
    }

    private static ulong Varint(byte[] message, ref int position)
    {
        ulong result = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = message[position++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return result;
        }
    }
}
