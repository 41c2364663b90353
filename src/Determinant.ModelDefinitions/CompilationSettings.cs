using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Determinant.ModelDefinitions;

/// <summary>How every model definition is compiled: as a Release class library of an SDK-style project would be.</summary>
internal static class CompilationSettings
{
    /// <summary>The path of the generated global usings; a hidden folder, so no user file can have it.</summary>
    public const string GlobalUsingsPath = ".determinant/GlobalUsings.g.cs";

    // The implicit usings of an SDK-style project (ImplicitUsings=enable), which the examples rely on.
    private const string GlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static readonly string[] PreprocessorSymbols = ["RELEASE", "NET", "NETCOREAPP", "NET10_0", "NET10_0_OR_GREATER", "NET9_0_OR_GREATER", "NET8_0_OR_GREATER"];

    // Doc comments stay trivia: parsing them costs time and the assembly ships no XML docs.
    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest, DocumentationMode.None, preprocessorSymbols: PreprocessorSymbols);

    // Nullable annotations are accepted but not analysed: its warnings are never shown and the flow analysis costs time.
    public static CSharpCompilationOptions CompilationOptions { get; } = new(
        OutputKind.DynamicallyLinkedLibrary,
        optimizationLevel: OptimizationLevel.Release,
        deterministic: true,
        concurrentBuild: true,
        nullableContextOptions: NullableContextOptions.Annotations);

    public static SyntaxTree GlobalUsingsTree { get; } =
        CSharpSyntaxTree.ParseText(SourceText.From(GlobalUsings, Encoding.UTF8), ParseOptions, GlobalUsingsPath);

    /// <summary>What the settings above and the compiler are, for the content hash: a change must miss the cache.</summary>
    public static string Identity { get; } = string.Join('\n',
        "determinant-model-definition/1",
        typeof(CSharpCompilation).Assembly.GetName().Version?.ToString() ?? "?",
        ParseOptions.SpecifiedLanguageVersion.ToString(),
        string.Join(',', PreprocessorSymbols),
        GlobalUsings);
}
