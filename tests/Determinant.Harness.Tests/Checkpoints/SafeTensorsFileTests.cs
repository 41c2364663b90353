using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Determinant.Harness.Checkpoints;
using Determinant.Harness.Tests.Support;
using static TorchSharp.torch;

namespace Determinant.Harness.Tests.Checkpoints;

/// <summary>Our safetensors writer produces the documented layout and reads back bit for bit.</summary>
[Collection("Torch")]
public sealed class SafeTensorsFileTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void SafeTensors_ReadsBackNamesDtypesShapesAndBytes_AfterWrite()
    {
        TorchRuntime.EnsureLoaded();
        var path = Path.Combine(_directory.Path, "t.safetensors");
        using var weight = arange(6, ScalarType.Float32).reshape(2, 3);
        using var counts = tensor(new long[] { -1, 2, long.MaxValue });
        using var flags = tensor(new[] { true, false });

        SafeTensorsFile.Write(path, new Dictionary<string, Tensor> { ["w"] = weight, ["counts"] = counts, ["flags"] = flags });
        var read = SafeTensorsFile.Read(path).ToDictionary(t => t.Name);

        Assert.Equal(["counts", "flags", "w"], read.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("F32", read["w"].DType);
        Assert.Equal([2L, 3], read["w"].Shape);
        Assert.Equal(new float[] { 0, 1, 2, 3, 4, 5 }, Enumerable.Range(0, 6).Select(i => BitConverter.ToSingle(read["w"].Data, i * 4)));
        Assert.Equal("I64", read["counts"].DType);
        Assert.Equal(long.MaxValue, BinaryPrimitives.ReadInt64LittleEndian(read["counts"].Data.AsSpan(16)));
        Assert.Equal("BOOL", read["flags"].DType);
        Assert.Equal(new byte[] { 1, 0 }, read["flags"].Data);
    }

    [Fact]
    public void SafeTensors_HasPaddedHeaderAndContiguousOffsets()
    {
        TorchRuntime.EnsureLoaded();
        var path = Path.Combine(_directory.Path, "t.safetensors");
        using var a = zeros(3);
        using var b = ones(2, 2, dtype: ScalarType.Float64);

        SafeTensorsFile.Write(path, new Dictionary<string, Tensor> { ["a"] = a, ["b"] = b }, new Dictionary<string, string> { ["format"] = "pt" });

        var bytes = File.ReadAllBytes(path);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, headerLength % 8);
        using var header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, headerLength).TrimEnd(' '));
        Assert.Equal("pt", header.RootElement.GetProperty("__metadata__").GetProperty("format").GetString());
        Assert.Equal("[0,12]", header.RootElement.GetProperty("a").GetProperty("data_offsets").GetRawText());
        Assert.Equal("[12,44]", header.RootElement.GetProperty("b").GetProperty("data_offsets").GetRawText());
        Assert.Equal(8 + headerLength + 44, bytes.Length);
    }

    [Fact]
    public void SafeTensors_IsReadByAnIndependentPythonReader()
    {
        // A reader written from the published format alone (8-byte little-endian header length, JSON header, raw data),
        // in another language, with NumPy doing the decoding: what a PyTorch user's tools rely on.
        TorchRuntime.EnsureLoaded();
        var path = Path.Combine(_directory.Path, "t.safetensors");
        using var w = arange(6, ScalarType.Float32).reshape(2, 3);
        SafeTensorsFile.Write(path, new Dictionary<string, Tensor> { ["w"] = w });

        const string Script = """
            import json, sys
            import numpy as np
            b = open(sys.argv[1], 'rb').read()
            n = int.from_bytes(b[:8], 'little')
            meta = json.loads(b[8:8 + n])
            w = meta['w']
            start, end = w['data_offsets']
            dtypes = {'F32': '<f4', 'F64': '<f8', 'I64': '<i8'}
            t = np.frombuffer(b[8 + n + start:8 + n + end], dtype=dtypes[w['dtype']]).reshape(w['shape'])
            print(t.dtype, t.shape, t.sum(), t[1, 2])
            """;
        using var python = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-c", Script, path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var printed = python.StandardOutput.ReadToEnd().Trim();
        var error = python.StandardError.ReadToEnd();
        python.WaitForExit();

        Assert.True(python.ExitCode == 0, error);
        Assert.Equal("float32 (2, 3) 15.0 5.0", printed);
    }
}
