using Determinant.Harness;
using Determinant.Testing;

namespace Determinant.ModelDefinitions.Tests;

[Collection(SharedCompiler.Name)]
public sealed class IrisExampleTests(CompilerFixture fixture)
{
    [Fact]
    public void Compile_BuildsTheIrisTrial_FromTheExampleDirectory()
    {
        var files = ModelDefinitionSources.ReadDirectory(TestRepository.PathOf("examples/iris"));

        var result = fixture.Compiler.Compile(files, "model_def:IrisTrial", CancellationToken.None);

        Assert.True(result.Success, string.Join('\n', result.Errors));
        Assert.Equal("Determinant.Examples.Iris.IrisTrial", result.TrialTypeName);
        var type = TrialAssemblyLoader.LoadTrialType(result.AssemblyPath!, result.TrialTypeName!);
        Assert.True(type.IsSubclassOf(typeof(TorchTrial)));
        Assert.NotNull(type.GetConstructor([typeof(TrialContext)]));
    }
}
