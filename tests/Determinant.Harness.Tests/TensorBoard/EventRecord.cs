namespace Determinant.Harness.Tests.TensorBoard;

/// <summary>One decoded event: its time, step, and either the file version or the scalar values of its summary.</summary>
internal sealed record EventRecord(double WallTime, long Step, string? FileVersion, List<(string Tag, float Value)> Scalars);
