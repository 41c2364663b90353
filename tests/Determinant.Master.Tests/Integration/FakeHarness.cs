using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Determinant.Master.Tests.Integration;

/// <summary>
/// A stand-in Determinant.Harness.dll with just the trial base and context types, compiled once into a temp folder, so
/// compile-at-submit can be tested without building the real harness (TorchSharp).
/// </summary>
public static class FakeHarness
{
    private static readonly Lazy<string> Folder = new(Build);

    public static string Directory => Folder.Value;

    private static string Build()
    {
        const string source = """
            namespace Determinant.Harness;
            public sealed class TrialContext { }
            public abstract class TorchTrial { protected TorchTrial(TrialContext context) { } public abstract double Loss(); }
            """;
        var framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var references = new[] { "System.Private.CoreLib.dll", "System.Runtime.dll", "netstandard.dll" }
            .Select(f => Path.Combine(framework, f)).Where(File.Exists).Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("Determinant.Harness", [CSharpSyntaxTree.ParseText(source)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var folder = System.IO.Directory.CreateTempSubdirectory("det-fake-harness-").FullName;
        var result = compilation.Emit(Path.Combine(folder, "Determinant.Harness.dll"));
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return folder;
    }
}
