namespace Determinant.Searchers;

/// <summary>Something the searcher asks the master to do (REFERENCE.md §3.1).</summary>
public abstract record SearcherOperation;
