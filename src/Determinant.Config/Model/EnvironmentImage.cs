namespace Determinant.Config;

/// <summary>Container images per device type (<c>environment.image</c>); a single string sets all three.</summary>
/// <param name="Cpu">Image for CPU-only tasks.</param>
/// <param name="Cuda">Image for NVIDIA GPU tasks.</param>
/// <param name="Rocm">Image for AMD GPU tasks.</param>
public sealed record EnvironmentImage(string? Cpu, string? Cuda, string? Rocm);
