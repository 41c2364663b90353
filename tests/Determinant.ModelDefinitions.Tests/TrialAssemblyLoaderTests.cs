using Determinant.Harness;
using static Determinant.ModelDefinitions.Tests.TrialSources;

namespace Determinant.ModelDefinitions.Tests;

[Collection(SharedCompiler.Name)]
public sealed class TrialAssemblyLoaderTests(CompilerFixture fixture)
{
    [Fact]
    public void LoadTrialType_SharesTheHarnessTypes_WithTheLoadingProcess()
    {
        var result = CompileLoaderTrial();

        var type = TrialAssemblyLoader.LoadTrialType(result.AssemblyPath!, result.TrialTypeName!);

        Assert.Same(typeof(TorchTrial), type.BaseType);
        Assert.Same(typeof(TrialContext), type.GetConstructors().Single().GetParameters().Single().ParameterType);
        Assert.Same(type, TrialAssemblyLoader.LoadTrialType(result.AssemblyPath!, result.TrialTypeName!));
    }

    [Fact]
    public void LoadTrialType_LoadsNoRoslynAssembly_WhenCalledFromAFreshContext()
    {
        var result = CompileLoaderTrial();
        // A second copy of this library in a context that records every dependency it asks for: what a trial process would load.
        var context = new RecordingLoadContext();
        var library = context.LoadFromAssemblyPath(typeof(TrialAssemblyLoader).Assembly.Location);
        var load = library.GetType(typeof(TrialAssemblyLoader).FullName!)!.GetMethod(nameof(TrialAssemblyLoader.LoadTrialType))!;

        var type = (Type)load.Invoke(null, [result.AssemblyPath, result.TrialTypeName])!;

        Assert.Same(typeof(TorchTrial), type.BaseType);
        Assert.Contains("Determinant.Harness", context.Requested);
        Assert.DoesNotContain(context.Requested, name => name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadTrialType_Throws_WhenTheTypeOrTheFileIsMissing()
    {
        var result = CompileLoaderTrial();

        Assert.Throws<TypeLoadException>(() => TrialAssemblyLoader.LoadTrialType(result.AssemblyPath!, "Loader.Nothing"));
        Assert.Throws<FileNotFoundException>(() => TrialAssemblyLoader.LoadTrialType(Path.Combine(fixture.CacheDirectory, "none", "model.dll"), "Loader.T"));
    }

    private CompileResult CompileLoaderTrial()
    {
        var result = fixture.Compile("model_def:LoaderTrial", File("model_def.cs", Trial("Loader", "LoaderTrial")));
        Assert.True(result.Success, string.Join('\n', result.Errors));
        return result;
    }
}
