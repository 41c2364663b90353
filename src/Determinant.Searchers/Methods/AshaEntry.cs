namespace Determinant.Searchers.Methods;

/// <summary>A sign-normalised result in a rung (smaller is better), and whether its trial was promoted from there.</summary>
internal sealed class AshaEntry(AshaTrial trial, double value)
{
    public AshaTrial Trial { get; } = trial;

    public double Value { get; } = value;

    public bool Promoted { get; set; }
}
