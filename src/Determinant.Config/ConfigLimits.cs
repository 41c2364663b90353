namespace Determinant.Config;

/// <summary>The bounds a YAML config is read within, and the default bound on the trials one experiment may ask for.</summary>
/// <remarks>
/// Configs come from users of a shared master: a few kilobytes of YAML whose aliases expand ("billion laughs"), or a
/// grid with 10^8 points, must be refused with an error that names the limit instead of growing the master. Every
/// error that one of these produces names the limit and its value (docs/security.md, "Input limits").
/// </remarks>
public static class ConfigLimits
{
    /// <summary>The largest config text, in UTF-8 bytes, checked before anything is parsed: 1 MiB.</summary>
    public const int MaxYamlBytes = 1024 * 1024;

    /// <summary>The deepest nesting of lists and mappings, aliases expanded.</summary>
    public const int MaxYamlDepth = 64;

    /// <summary>The most values (scalars, lists, mappings) a config may hold once its aliases are expanded.</summary>
    public const int MaxYamlNodes = 100_000;

    /// <summary>
    /// The default bound on <c>max_trials</c>, on <c>population_size</c> and on the number of grid points;
    /// <see cref="ConfigLoadOptions.MaxTrials"/> changes it (the master's <c>max_trials_per_experiment</c>).
    /// </summary>
    public const int DefaultMaxTrials = 10_000;

    /// <summary>The most rungs of an ASHA bracket (<c>num_rungs</c>, each of <c>bracket_rungs</c>) and the most brackets.</summary>
    public const int MaxRungs = 64;
}
