using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Loader;

namespace Determinant.ModelDefinitions.Tests;

/// <summary>A load context that records every assembly asked of it and lets the default context supply them all.</summary>
internal sealed class RecordingLoadContext() : AssemblyLoadContext("recording", isCollectible: false)
{
    public ConcurrentBag<string> Requested { get; } = [];

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        Requested.Add(assemblyName.Name!);
        return null;
    }
}
