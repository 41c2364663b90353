namespace Determinant.Harness.Runner;

/// <summary>What the agent hands a standby harness: where the task runs and its whole environment (REFERENCE.md §7.1).</summary>
internal sealed record Handoff(string WorkDirectory, Dictionary<string, string> Environment);
