namespace Determinant.Searchers;

/// <summary>Something that happened to the search, fed to <see cref="Searcher.Handle"/> (REFERENCE.md §3.1).</summary>
public abstract record SearcherEvent;
