namespace Determinant.Bench;

/// <summary>The baseline process of the CLI benchmarks: this binary started with <see cref="Switch"/> returns at once.</summary>
internal static class Noop
{
    public const string Switch = "--noop";
}
