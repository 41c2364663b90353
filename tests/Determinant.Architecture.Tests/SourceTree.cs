using System.Xml.Linq;

namespace Determinant.Architecture.Tests;

/// <summary>The projects under src/ as their .csproj files declare them.</summary>
internal static class SourceTree
{
    public static string Root => Determinant.Testing.TestRepository.Root;

    public static IReadOnlyDictionary<string, ProjectFile> Projects { get; } = LoadProjects();

    private static Dictionary<string, ProjectFile> LoadProjects()
    {
        var projects = new Dictionary<string, ProjectFile>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.csproj", SearchOption.AllDirectories))
        {
            var xml = XDocument.Load(path);
            var name = Path.GetFileNameWithoutExtension(path);
            var references = xml.Descendants("ProjectReference")
                .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value.Replace('\\', '/')))
                .ToHashSet(StringComparer.Ordinal);
            var packages = xml.Descendants("PackageReference")
                .Select(e => e.Attribute("Include")!.Value)
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            var sdk = xml.Root!.Attribute("Sdk")?.Value ?? "";
            var frameworks = xml.Descendants("FrameworkReference").Select(e => e.Attribute("Include")!.Value).ToHashSet(StringComparer.Ordinal);
            projects[name] = new ProjectFile(name, sdk, references, packages, frameworks);
        }
        return projects;
    }
}
