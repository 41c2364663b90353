using System.Collections.Immutable;

namespace Determinant.Config;

/// <summary>The outcome of loading an experiment config: the resolved config, or every error found.</summary>
/// <param name="Config">The validated, merged and defaulted config; null whenever <paramref name="Errors"/> is not empty.</param>
/// <param name="Errors">Every error found, sorted by path and then message.</param>
/// <param name="Warnings">Lines that do not stop the experiment but that a user should see, sorted.</param>
public sealed record ConfigLoadResult(ExperimentConfig? Config, ImmutableArray<ConfigError> Errors, ImmutableArray<string> Warnings)
{
    /// <summary>True when the config loaded with no error; <see cref="Config"/> is then set.</summary>
    public bool IsValid => Errors.IsDefaultOrEmpty && Config is not null;
}
