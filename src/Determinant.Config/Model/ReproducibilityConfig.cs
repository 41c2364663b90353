namespace Determinant.Config;

/// <summary>The <c>reproducibility</c> section.</summary>
/// <param name="ExperimentSeed">Seeds the searcher's random numbers; defaults to the creation time in Unix seconds.</param>
public sealed record ReproducibilityConfig(uint ExperimentSeed);
