namespace Determinant.Searchers;

/// <summary>The search is over: every requested trial has closed.</summary>
/// <param name="Cancel">Every trial was canceled by a user.</param>
/// <param name="Failure">Every trial failed.</param>
public sealed record Shutdown(bool Cancel = false, bool Failure = false) : SearcherOperation;
