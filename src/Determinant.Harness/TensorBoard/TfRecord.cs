using System.Buffers.Binary;
using System.Numerics;

namespace Determinant.Harness.TensorBoard;

/// <summary>
/// The TFRecord framing of TensorBoard event files: a little-endian uint64 length, the masked CRC-32C of those 8 bytes,
/// the data, and the masked CRC-32C of the data.
/// </summary>
internal static class TfRecord
{
    private const uint MaskDelta = 0xa282ead8;

    public static void Write(Stream output, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], MaskedCrc32C(header[..8]));
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, MaskedCrc32C(data));
        output.Write(header);
        output.Write(data);
        output.Write(footer);
    }

    /// <summary>CRC-32C (Castagnoli) rotated and offset as TensorFlow does, so that a CRC of data holding CRCs stays strong.</summary>
    public static uint MaskedCrc32C(ReadOnlySpan<byte> data)
    {
        var crc = Crc32C(data);
        return unchecked(((crc >> 15) | (crc << 17)) + MaskDelta);
    }

    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        // BitOperations.Crc32C uses the SSE4.2/ARM instruction where there is one; it leaves the pre- and post-inversion to us.
        var crc = uint.MaxValue;
        foreach (var b in data)
            crc = BitOperations.Crc32C(crc, b);
        return ~crc;
    }
}
