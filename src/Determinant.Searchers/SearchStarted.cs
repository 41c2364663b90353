namespace Determinant.Searchers;

/// <summary>The experiment was activated for the first time; the searcher answers with its initial operations.</summary>
public sealed record SearchStarted : SearcherEvent;
