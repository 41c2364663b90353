namespace Determinant.ModelDefinitions.Tests;

public sealed class TrialEntrypointTests
{
    [Theory]
    [InlineData("model_def:IrisTrial", "model_def", "IrisTrial", "model_def.cs")]
    [InlineData("nets.model:T", "nets.model", "T", "nets/model.cs")]
    [InlineData("model_def:Ns.Inner.T", "model_def", "Ns.Inner.T", "model_def.cs")]
    public void TryParse_SplitsModuleAndClass_WhenTheEntrypointIsATrialClass(string text, string module, string className, string file)
    {
        var entrypoint = TrialEntrypoint.TryParse(text);

        Assert.Equal(new TrialEntrypoint(module, className), entrypoint);
        Assert.Equal(file, entrypoint!.ModuleFile);
    }

    [Theory]
    [InlineData("model_def")]
    [InlineData("python3 train.py")]
    [InlineData("model_def:Iris-Trial")]
    [InlineData(":T")]
    [InlineData("a..b:T")]
    [InlineData("model_def:T.")]
    public void TryParse_ReturnsNull_WhenTheEntrypointIsNotATrialClass(string text)
    {
        Assert.Null(TrialEntrypoint.TryParse(text));
    }
}
