namespace Determinant.Config;

/// <summary>The bounds a YAML config is read within.</summary>
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
}
