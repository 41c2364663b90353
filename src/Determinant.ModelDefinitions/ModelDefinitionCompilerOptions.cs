namespace Determinant.ModelDefinitions;

/// <summary>Where the harness and the cache are, and what a trial class must look like.</summary>
public sealed class ModelDefinitionCompilerOptions
{
    /// <summary>
    /// The folder holding <see cref="HarnessAssemblyName"/><c>.dll</c> and the assemblies it references (TorchSharp,
    /// Determinant.Config, …), such as the harness's build output. Model definitions compile against these files.
    /// </summary>
    public string HarnessDirectory { get; set; } = "";

    /// <summary>The folder of compiled model definitions, one <c>&lt;hash&gt;/</c> folder each; created when missing.</summary>
    public string CacheDirectory { get; set; } = "";

    /// <summary>
    /// The harness assembly's simple name. It and the assemblies of <see cref="HarnessDirectory"/> that it references,
    /// directly or not, are the references of every model definition, besides the .NET framework.
    /// </summary>
    public string HarnessAssemblyName { get; set; } = "Determinant.Harness";

    /// <summary>The full name of the class every trial class must derive from.</summary>
    public string TrialBaseType { get; set; } = "Determinant.Harness.TorchTrial";

    /// <summary>
    /// The full name of the type a trial class's public constructor takes as its only parameter (the harness creates the
    /// trial with it); null accepts any trial class with a public constructor.
    /// </summary>
    public string? TrialContextType { get; set; } = "Determinant.Harness.TrialContext";

    /// <summary>The most errors reported for one compilation; the rest are counted in a last line.</summary>
    public int MaxErrors { get; set; } = 100;
}
