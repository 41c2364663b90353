namespace Determinant.ModelDefinitions;

/// <summary>
/// The codes of our own errors about a model definition, beside the compiler's CSxxxx. Each names what is wrong and
/// what to do; the numbers are never reused for another meaning.
/// </summary>
public static class ModelDefinitionErrors
{
    /// <summary>The entrypoint's class is declared nowhere in the model definition.</summary>
    public const string ClassNotFound = "DET0001";

    /// <summary>The entrypoint's class does not derive from the trial base class (or is not a class).</summary>
    public const string NotATrial = "DET0002";

    /// <summary>The entrypoint's simple class name matches classes in several namespaces.</summary>
    public const string AmbiguousClass = "DET0003";

    /// <summary>The trial class is abstract, static or generic, so the harness cannot create it.</summary>
    public const string NotInstantiable = "DET0004";

    /// <summary>The trial class, or a class it is nested in, is not public.</summary>
    public const string NotPublic = "DET0005";

    /// <summary>The trial class has no public constructor taking the trial context alone.</summary>
    public const string NoSuitableConstructor = "DET0006";

    /// <summary>The entrypoint is not of the form <c>module:Class</c>.</summary>
    public const string InvalidEntrypoint = "DET0007";

    /// <summary>The entrypoint's module is neither a file nor a namespace of the model definition.</summary>
    public const string ModuleNotFound = "DET0008";

    /// <summary>The model definition has no <c>*.cs</c> file to compile.</summary>
    public const string NoSources = "DET0009";

    /// <summary>The last line of a list of errors cut short.</summary>
    public const string TooManyErrors = "DET0010";
}
