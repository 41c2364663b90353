namespace Determinant.ModelDefinitions.Tests;

/// <summary>One compiler for all tests, with the harness of the test output folder and a cache folder of its own.</summary>
public sealed class CompilerFixture : IDisposable
{
    private readonly DirectoryInfo _cache = Directory.CreateTempSubdirectory("det-model-cache-");

    public CompilerFixture() => Compiler = new ModelDefinitionCompiler(Options(CacheDirectory));

    public ModelDefinitionCompiler Compiler { get; }

    public string CacheDirectory => _cache.FullName;

    public static ModelDefinitionCompilerOptions Options(string cacheDirectory) =>
        new() { HarnessDirectory = AppContext.BaseDirectory, CacheDirectory = cacheDirectory };

    public CompileResult Compile(string entrypoint, params SourceFile[] files) =>
        Compiler.Compile(files, entrypoint, CancellationToken.None);

    public void Dispose() => _cache.Delete(recursive: true);
}
