using System.Text.RegularExpressions;

namespace Determinant.ModelDefinitions;

/// <summary>A trial-class entrypoint <c>module:Class</c> (REFERENCE.md §2.8), split into its two parts.</summary>
/// <remarks>
/// The module names a file, with dots between folders (<c>nets.mlp</c> is <c>nets/mlp.cs</c>), or else a namespace the
/// definition declares. The class is a simple name; a dotted, namespace-qualified name is accepted too, although the
/// config's pattern, which decides whether an entrypoint is a trial class at all, admits only simple names.
/// </remarks>
internal sealed partial record TrialEntrypoint(string Module, string ClassName)
{
    /// <summary>The file the module names, relative to the definition's root.</summary>
    public string ModuleFile => Module.Replace('.', '/') + ".cs";

    public bool IsQualifiedClassName => ClassName.Contains('.', StringComparison.Ordinal);

    public static TrialEntrypoint? TryParse(string text)
    {
        var match = Pattern().Match(text);
        if (!match.Success || match.Groups[1].Value.Split('.').Any(p => p.Length == 0) || match.Groups[2].Value.Split('.').Any(p => p.Length == 0))
            return null;
        return new TrialEntrypoint(match.Groups[1].Value, match.Groups[2].Value);
    }

    public override string ToString() => $"{Module}:{ClassName}";

    [GeneratedRegex("^([a-zA-Z0-9_.]+):([a-zA-Z0-9_.]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
