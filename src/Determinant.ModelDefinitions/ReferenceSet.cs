using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;

namespace Determinant.ModelDefinitions;

/// <summary>The assembly files a model definition compiles against, and their identity for the content hash.</summary>
/// <remarks>
/// The framework part is the running Microsoft.NETCore.App: its implementation assemblies from the trusted platform
/// assemblies list, filtered to the shared framework's folder. Unlike the reference pack, these are present on a host
/// with the runtime alone, and they are what a trial process on the same runtime runs against. The filter keeps out
/// ASP.NET Core and whatever else the compiling process (the master) loads, which a trial process does not have.
/// The harness part is the harness assembly and, transitively, the assemblies of its folder it references, rather than
/// every file there, so that test runners or tools beside it are not referenced.
/// </remarks>
internal sealed class ReferenceSet
{
    private ReferenceSet(ImmutableArray<string> paths, string identity)
    {
        Paths = paths;
        Identity = identity;
    }

    public ImmutableArray<string> Paths { get; }

    /// <summary>File name, size and MVID of each assembly, in file-name order.</summary>
    public string Identity { get; }

    /// <exception cref="FileNotFoundException">The harness assembly is not in <paramref name="harnessDirectory"/>.</exception>
    public static ReferenceSet Load(string harnessDirectory, string harnessAssemblyName)
    {
        var byName = new SortedDictionary<string, (string Path, Guid Mvid, IReadOnlyList<string> References)>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in FrameworkAssemblies())
            byName.TryAdd(Path.GetFileName(path), Read(path));

        var root = Path.Combine(harnessDirectory, harnessAssemblyName + ".dll");
        if (!File.Exists(root))
            throw new FileNotFoundException($"the harness assembly {harnessAssemblyName}.dll is not in {harnessDirectory}", root);
        var pending = new Stack<string>([root]);
        while (pending.TryPop(out var path))
        {
            var fileName = Path.GetFileName(path);
            if (byName.ContainsKey(fileName))
                continue;
            var entry = Read(path);
            byName.Add(fileName, entry);
            foreach (var reference in entry.References)
            {
                var candidate = Path.Combine(harnessDirectory, reference + ".dll");
                if (!byName.ContainsKey(reference + ".dll") && File.Exists(candidate))
                    pending.Push(candidate);
            }
        }

        var identity = new StringBuilder();
        foreach (var (name, entry) in byName)
            identity.Append(name).Append('|').Append(new FileInfo(entry.Path).Length).Append('|').Append(entry.Mvid.ToString("N")).Append('\n');
        return new ReferenceSet([.. byName.Values.Select(e => e.Path)], identity.ToString());
    }

    private static IEnumerable<string> FrameworkAssemblies()
    {
        var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)
            ?? throw new InvalidOperationException("the .NET framework's folder is unknown (a single-file application cannot compile model definitions)");
        var trusted = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string)?.Split(Path.PathSeparator)
            ?? Directory.GetFiles(frameworkDirectory, "*.dll");
        return trusted.Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            && string.Equals(Path.GetDirectoryName(p), frameworkDirectory, StringComparison.Ordinal));
    }

    private static (string Path, Guid Mvid, IReadOnlyList<string> References) Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var mvid = reader.GetGuid(reader.GetModuleDefinition().Mvid);
        var references = reader.AssemblyReferences.Select(h => reader.GetString(reader.GetAssemblyReference(h).Name)).ToList();
        return (path, mvid, references);
    }
}
