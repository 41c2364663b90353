using System.Buffers.Binary;
using System.Text;

namespace Determinant.Harness.TensorBoard;

/// <summary>
/// Encodes the two kinds of <c>tensorflow.Event</c> protobuf messages the harness writes: the file-version header and a
/// summary of scalars (<c>Event{wall_time = 1, step = 2, file_version = 3, summary = 5}</c>,
/// <c>Summary{value = 1}</c>, <c>Summary.Value{tag = 1, simple_value = 2}</c>).
/// </summary>
/// <remarks>Hand-written instead of generated: two messages and four field types do not justify a protobuf dependency.</remarks>
internal static class EventProto
{
    public const string FileVersion = "brain.Event:2";

    public static byte[] FileVersionEvent(double wallTime)
    {
        using var buffer = new MemoryStream();
        WriteDouble(buffer, 1, wallTime);
        WriteBytes(buffer, 3, Encoding.UTF8.GetBytes(FileVersion));
        return buffer.ToArray();
    }

    public static byte[] ScalarsEvent(double wallTime, long step, IEnumerable<KeyValuePair<string, double>> scalars)
    {
        using var summary = new MemoryStream();
        foreach (var (tag, value) in scalars)
        {
            using var entry = new MemoryStream();
            WriteBytes(entry, 1, Encoding.UTF8.GetBytes(tag));
            WriteFloat(entry, 2, (float)value);
            WriteBytes(summary, 1, entry.ToArray());
        }

        using var buffer = new MemoryStream();
        WriteDouble(buffer, 1, wallTime);
        WriteTag(buffer, 2, WireType.Varint);
        WriteVarint(buffer, unchecked((ulong)step));
        WriteBytes(buffer, 5, summary.ToArray());
        return buffer.ToArray();
    }

    private enum WireType
    {
        Varint = 0,
        Fixed64 = 1,
        LengthDelimited = 2,
        Fixed32 = 5,
    }

    private static void WriteDouble(Stream output, int field, double value)
    {
        WriteTag(output, field, WireType.Fixed64);
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
        output.Write(bytes);
    }

    private static void WriteFloat(Stream output, int field, float value)
    {
        WriteTag(output, field, WireType.Fixed32);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        output.Write(bytes);
    }

    private static void WriteBytes(Stream output, int field, byte[] value)
    {
        WriteTag(output, field, WireType.LengthDelimited);
        WriteVarint(output, (ulong)value.Length);
        output.Write(value);
    }

    private static void WriteTag(Stream output, int field, WireType type) => WriteVarint(output, ((ulong)field << 3) | (ulong)type);

    private static void WriteVarint(Stream output, ulong value)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        output.WriteByte((byte)value);
    }
}
