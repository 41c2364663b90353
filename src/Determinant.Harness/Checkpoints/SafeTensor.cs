namespace Determinant.Harness.Checkpoints;

/// <summary>One tensor read from a safetensors file: its dtype name (<c>F32</c>, <c>I64</c>, …), shape and raw little-endian bytes.</summary>
internal sealed record SafeTensor(string Name, string DType, long[] Shape, byte[] Data);
