using System.Reflection;

namespace Determinant.Architecture.Tests;

/// <summary>The dependency direction of shared/STYLE.md, checked on the project files and on the compiled pure assemblies.</summary>
public sealed class DependencyRulesTests
{
    private static readonly string[] PureProjects = ["Determinant.Config", "Determinant.Searchers", "Determinant.Protocol"];

    /// <summary>Which project may reference which; a project missing here may reference none.</summary>
    private static readonly Dictionary<string, string[]> AllowedReferences = new(StringComparer.Ordinal)
    {
        ["Determinant.Config"] = [],
        ["Determinant.Protocol"] = [],
        ["Determinant.Searchers"] = ["Determinant.Config"],
        ["Determinant.Master.Data"] = ["Determinant.Protocol", "Determinant.Config"],
        ["Determinant.Master"] =
            ["Determinant.Master.Data", "Determinant.Searchers", "Determinant.Config", "Determinant.Protocol", "Determinant.ModelDefinitions",
                "Determinant.ModelDefinitions.Worker"],
        // Roslyn compilation of model definitions against the harness's metadata; it never loads TorchSharp itself.
        ["Determinant.ModelDefinitions"] = [],
        // The process the master compiles in, so that what overflows the compiler's stack ends it and not the master.
        ["Determinant.ModelDefinitions.Worker"] = ["Determinant.ModelDefinitions"],
        ["Determinant.Agent"] = ["Determinant.Protocol"],
        ["Determinant.Harness"] = ["Determinant.Protocol", "Determinant.Config", "Determinant.ModelDefinitions"],
        ["Determinant.Client"] = ["Determinant.Protocol"],
        // Loading a checkpoint back as a trial: the harness (TorchSharp) and the model-definition compiler, kept out of the SDK proper.
        ["Determinant.Client.Torch"] = ["Determinant.Client", "Determinant.Harness", "Determinant.ModelDefinitions", "Determinant.Config", "Determinant.Protocol"],
        ["Determinant.Harness.Runner"] = ["Determinant.Harness", "Determinant.ModelDefinitions", "Determinant.Protocol", "Determinant.Config"],
        // The CLI previews searches with no master, so it runs the (pure) searchers itself.
        ["Determinant.Cli"] = ["Determinant.Client", "Determinant.Config", "Determinant.Searchers", "Determinant.Protocol"],
    };

    private static readonly string[] ForbiddenInPure =
        ["Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore", "Microsoft.Extensions.Hosting", "TorchSharp", "libtorch", "Npgsql"];

    [Fact]
    public void SourceTree_HasTheCoreProjects()
    {
        Assert.Contains("Determinant.Config", SourceTree.Projects.Keys);
        Assert.Contains("Determinant.Searchers", SourceTree.Projects.Keys);
    }

    [Fact]
    public void ProjectReferences_FollowTheDependencyDirection_ForEverySourceProject()
    {
        var violations = new List<string>();
        foreach (var project in SourceTree.Projects.Values)
        {
            var allowed = AllowedReferences.GetValueOrDefault(project.Name, []);
            violations.AddRange(project.ProjectReferences.Where(r => !allowed.Contains(r)).Select(r => $"{project.Name} -> {r}"));
        }
        Assert.Empty(violations);
    }

    [Fact]
    public void NothingReferencesTheMaster()
    {
        Assert.DoesNotContain(SourceTree.Projects.Values, p => p.ProjectReferences.Contains("Determinant.Master"));
    }

    [Fact]
    public void PureProjects_DeclareNoFrameworkOrHostingPackages()
    {
        var violations = SourceTree.Projects.Values
            .Where(p => PureProjects.Contains(p.Name))
            .SelectMany(p => p.PackageReferences.Concat(p.FrameworkReferences)
                .Where(r => ForbiddenInPure.Any(f => r.StartsWith(f, StringComparison.OrdinalIgnoreCase)))
                .Select(r => $"{p.Name} uses {r}")
                .Concat(p.Sdk == "Microsoft.NET.Sdk" ? [] : [$"{p.Name} uses SDK {p.Sdk}"]))
            .ToList();
        Assert.Empty(violations);
    }

    [Theory]
    [InlineData("Determinant.Config")]
    [InlineData("Determinant.Searchers")]
    public void PureAssemblies_ReferenceNoFrameworkOrHostingAssembly_AfterCompilation(string assemblyName)
    {
        var assembly = Assembly.Load(assemblyName);

        var forbidden = assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => ForbiddenInPure.Any(f => n.StartsWith(f, StringComparison.OrdinalIgnoreCase)))
            .ToList();

        Assert.Empty(forbidden);
    }
}
