namespace Determinant.ModelDefinitions.Tests;

public sealed class ModelDefinitionSourcesTests
{
    [Theory]
    [InlineData("model_def.cs", true)]
    [InlineData("nets/mlp.cs", true)]
    [InlineData(@"nets\mlp.cs", true)]
    [InlineData("./model_def.cs", true)]
    [InlineData("README.md", false)]
    [InlineData("model_def.csx", false)]
    [InlineData("bin/Release/x.cs", false)]
    [InlineData("nets/obj/x.cs", false)]
    [InlineData(".git/x.cs", false)]
    [InlineData("data/.cache/x.cs", false)]
    [InlineData("binary/x.cs", true)]
    public void IsCompiled_KeepsSourcesOutsideBuildAndHiddenFolders(string path, bool expected)
    {
        Assert.Equal(expected, ModelDefinitionSources.IsCompiled(path));
    }

    [Fact]
    public void ReadDirectory_ReturnsTheCompiledFilesByRelativePath_InOrdinalOrder()
    {
        var root = Directory.CreateTempSubdirectory("det-model-def-");
        try
        {
            foreach (var (path, text) in new[] { ("model_def.cs", "a"), ("nets/mlp.cs", "b"), ("Nets/Z.cs", "c"), ("obj/g.cs", "x"), (".hidden/h.cs", "x"), ("data/x.csv", "x") })
            {
                var full = Path.Combine(root.FullName, path);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllText(full, text);
            }

            var files = ModelDefinitionSources.ReadDirectory(root.FullName);

            Assert.Equal([new("Nets/Z.cs", "c"), new("model_def.cs", "a"), new SourceFile("nets/mlp.cs", "b")], files);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
