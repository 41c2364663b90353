namespace Determinant.Client;

/// <summary>What <see cref="DeterminantClient.CreateExperimentAsync(string, IReadOnlyList{Determinant.Protocol.Api.ModelDefinitionFile}, bool, CancellationToken)"/> answers.</summary>
/// <param name="Experiment">The new experiment, with its resolved config.</param>
/// <param name="Warnings">Config warnings the master reported (the experiment was created anyway).</param>
public sealed record CreatedExperiment(Experiment Experiment, IReadOnlyList<string> Warnings);
