using System.Collections.Concurrent;
using System.Runtime.Loader;

namespace Determinant.ModelDefinitions;

/// <summary>Loads a compiled model definition in a trial process and returns its trial class.</summary>
/// <remarks>
/// This type touches no Roslyn type, so a trial process that calls it never loads the compiler assemblies, even
/// though they ship beside this one. Each assembly gets its own (never unloaded) load context whose dependencies come
/// from the context that loaded this library, the default one in a trial process: the trial's <c>TorchTrial</c> is then
/// the very type the harness knows. Loading the same path again returns the same type.
/// </remarks>
public static class TrialAssemblyLoader
{
    private static readonly ConcurrentDictionary<string, Lazy<System.Reflection.Assembly>> Loaded = new(StringComparer.Ordinal);

    /// <summary>Loads <paramref name="assemblyPath"/> (a <see cref="CompileResult.AssemblyPath"/>) and returns the type <paramref name="trialTypeName"/>.</summary>
    /// <param name="assemblyPath">The compiled model definition.</param>
    /// <param name="trialTypeName">The type's full name as reflection spells it (<see cref="CompileResult.TrialTypeName"/>).</param>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="assemblyPath"/>.</exception>
    /// <exception cref="BadImageFormatException">The file is not an assembly.</exception>
    /// <exception cref="TypeLoadException">The assembly has no type <paramref name="trialTypeName"/>.</exception>
    public static Type LoadTrialType(string assemblyPath, string trialTypeName)
    {
        ArgumentException.ThrowIfNullOrEmpty(assemblyPath);
        ArgumentException.ThrowIfNullOrEmpty(trialTypeName);
        var fullPath = Path.GetFullPath(assemblyPath);
        if (!File.Exists(fullPath))
            throw new FileNotFoundException($"the compiled model definition {fullPath} does not exist", fullPath);
        var assembly = Loaded.GetOrAdd(fullPath, static path => new Lazy<System.Reflection.Assembly>(() => Load(path))).Value;
        return assembly.GetType(trialTypeName, throwOnError: false)
            ?? throw new TypeLoadException($"the compiled model definition {fullPath} has no type '{trialTypeName}'");
    }

    private static System.Reflection.Assembly Load(string path)
    {
        var parent = AssemblyLoadContext.GetLoadContext(typeof(TrialAssemblyLoader).Assembly) ?? AssemblyLoadContext.Default;
        return new TrialLoadContext(path, parent).LoadFromAssemblyPath(path);
    }
}
