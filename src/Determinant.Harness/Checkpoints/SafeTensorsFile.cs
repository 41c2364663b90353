using System.Buffers.Binary;
using System.Text.Json;
using static TorchSharp.torch;

namespace Determinant.Harness.Checkpoints;

/// <summary>
/// The safetensors format, written and read here: an 8-byte little-endian header length, a JSON header mapping each
/// name to <c>{dtype, shape, data_offsets}</c> (offsets relative to the end of the header), then the raw data.
/// </summary>
/// <remarks>The header is padded with spaces to a multiple of 8 bytes, as the reference implementation does.</remarks>
internal static class SafeTensorsFile
{
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("writing safetensors needs a little-endian machine");
        var entries = tensors.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, Tensor: p.Value.detach().cpu().contiguous())).ToList();
        try
        {
            var header = BuildHeader(entries, metadata);
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            file.Write(length);
            file.Write(header);
            foreach (var (_, tensor) in entries)
                file.Write(tensor.bytes);
        }
        finally
        {
            foreach (var (_, tensor) in entries)
                tensor.Dispose();
        }
    }

    public static IReadOnlyList<SafeTensor> Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8)
            throw new InvalidDataException($"{path} is too short to be a safetensors file");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)(bytes.Length - 8))
            throw new InvalidDataException($"{path}: header length {headerLength} is beyond the end of the file");
        var dataStart = 8 + (int)headerLength;
        using var header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        var result = new List<SafeTensor>();
        foreach (var entry in header.RootElement.EnumerateObject().Where(e => e.Name != "__metadata__"))
        {
            var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            if (offsets.Length != 2 || offsets[0] > offsets[1] || dataStart + offsets[1] > bytes.Length)
                throw new InvalidDataException($"{path}: tensor '{entry.Name}' has bad data_offsets");
            var data = bytes.AsSpan(dataStart + (int)offsets[0], (int)(offsets[1] - offsets[0])).ToArray();
            result.Add(new SafeTensor(entry.Name, entry.Value.GetProperty("dtype").GetString()!, shape, data));
        }

        return result;
    }

    public static string DTypeName(ScalarType type) => type switch
    {
        ScalarType.Float32 => "F32",
        ScalarType.Float64 => "F64",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new NotSupportedException($"safetensors has no dtype for {type}"),
    };

    private static byte[] BuildHeader(List<(string Name, Tensor Tensor)> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata)
                    json.WriteString(key, value);
                json.WriteEndObject();
            }

            long offset = 0;
            foreach (var (name, tensor) in entries)
            {
                var size = tensor.NumberOfElements * tensor.ElementSize;
                json.WriteStartObject(name);
                json.WriteString("dtype", DTypeName(tensor.dtype));
                json.WriteStartArray("shape");
                foreach (var dim in tensor.shape)
                    json.WriteNumberValue(dim);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + size);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += size;
            }

            json.WriteEndObject();
        }

        var padded = (int)((stream.Length + 7) / 8 * 8);
        var header = Enumerable.Repeat((byte)' ', padded).ToArray();
        stream.ToArray().CopyTo(header, 0);
        return header;
    }
}
