using System.Reflection;
using System.Runtime.Loader;

namespace Determinant.ModelDefinitions;

/// <summary>
/// Holds one compiled model definition; every assembly it references (harness, TorchSharp, framework) comes from
/// <paramref name="parent"/>, so that types are shared with the harness rather than loaded twice.
/// </summary>
internal sealed class TrialLoadContext(string assemblyPath, AssemblyLoadContext parent)
    : AssemblyLoadContext($"model-definition:{assemblyPath}", isCollectible: false)
{
    protected override Assembly? Load(AssemblyName assemblyName) =>
        // Null defers to the default context, which is where the parent's own lookups end too.
        ReferenceEquals(parent, Default) ? null : parent.LoadFromAssemblyName(assemblyName);
}
