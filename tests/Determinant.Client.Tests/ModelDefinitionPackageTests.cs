namespace Determinant.Client.Tests;

/// <summary>What a model directory sends: .detignore rules and the default ignores.</summary>
public sealed class ModelDefinitionPackageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("det-modeldef-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Scan_SkipsDefaultIgnores_AndObeysDetignoreWithNegationAndAnchors()
    {
        foreach (var path in new[] { "model_def.cs", "util/helpers.cs", "__pycache__/x.pyc", "a.pyc", ".git/HEAD", "bin/Debug/x.dll",
                     "obj/project.assets.json", ".vscode/settings.json", "data/big.csv", "data/keep.csv", "logs/run.log", "sub/logs/keep.txt", "notes.tmp" })
            Write(path, "x");
        Write(".detignore", "# data goes through a bind mount\ndata/*\n!data/keep.csv\n/logs/\n*.tmp\n");

        var package = ModelDefinitionPackage.Scan(_dir);

        Assert.Equal([".detignore", "data", "data/keep.csv", "model_def.cs", "sub", "sub/logs", "sub/logs/keep.txt", "util", "util/helpers.cs"], package.Paths);
        Assert.Equal(5, package.FileCount);
        var files = package.ReadFiles();
        Assert.Equal(Convert.ToBase64String("x"u8.ToArray()), files.Single(f => f.Path == "model_def.cs").Content);
        Assert.Equal(Protocol.Api.ModelDefinitionFile.Directory, files.Single(f => f.Path == "util").Type);
    }

    [Fact]
    public void Scan_AddsUpFileSizes_WithoutReadingThem()
    {
        Write("a.bin", new string('a', 1000));
        Write("b/c.bin", new string('c', 24));

        Assert.Equal(1024, ModelDefinitionPackage.Scan(_dir).TotalBytes);
    }

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
