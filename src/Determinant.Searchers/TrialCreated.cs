namespace Determinant.Searchers;

/// <summary>The master created the trial a <see cref="CreateTrial"/> asked for.</summary>
/// <param name="RequestId">The trial.</param>
public sealed record TrialCreated(RequestId RequestId) : SearcherEvent;
