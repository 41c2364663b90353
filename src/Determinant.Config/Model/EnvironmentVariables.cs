using System.Collections.Immutable;

namespace Determinant.Config;

/// <summary><c>KEY=VALUE</c> entries per device type (<c>environment.environment_variables</c>); a plain list sets all three.</summary>
public sealed record EnvironmentVariables
{
    /// <summary>No variables.</summary>
    public static EnvironmentVariables Empty { get; } = new();

    /// <summary>Entries for CPU-only tasks.</summary>
    public ImmutableArray<string> Cpu { get; init; } = [];

    /// <summary>Entries for NVIDIA GPU tasks.</summary>
    public ImmutableArray<string> Cuda { get; init; } = [];

    /// <summary>Entries for AMD GPU tasks.</summary>
    public ImmutableArray<string> Rocm { get; init; } = [];

    /// <summary>Compares by content.</summary>
    public bool Equals(EnvironmentVariables? other) =>
        other is not null && ValueEquality.Sequence(Cpu, other.Cpu) && ValueEquality.Sequence(Cuda, other.Cuda)
        && ValueEquality.Sequence(Rocm, other.Rocm);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Cpu.Length, Cuda.Length, Rocm.Length);
}
