namespace Determinant.Protocol.CoreApi;

/// <summary>A searcher operation for one trial; classic searchers send only <c>validateAfter</c>.</summary>
/// <param name="ValidateAfter">The operation, or null when the master sent a kind this client does not know.</param>
public sealed record SearcherOperation(ValidateAfterOperation? ValidateAfter);
