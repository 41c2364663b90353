namespace Determinant.Searchers.Methods;

/// <summary>One bracket of an ASHA search: its rung count, trial budget and concurrency limit (0 = none).</summary>
internal sealed record AshaBracketPlan(int Rungs, int Trials, int MaxConcurrent);
