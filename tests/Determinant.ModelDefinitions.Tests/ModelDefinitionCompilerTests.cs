using Determinant.Harness;
using static Determinant.ModelDefinitions.Tests.TrialSources;

namespace Determinant.ModelDefinitions.Tests;

[Collection(SharedCompiler.Name)]
public sealed class ModelDefinitionCompilerTests(CompilerFixture fixture)
{
    [Fact]
    public void Compile_BuildsALoadableTrial_WhenTheDefinitionSpansFilesAndNamespaces()
    {
        var helpers = """
            namespace Demo.Nets;

            public static class Helpers
            {
                // Enumerable without a using: the implicit usings of an SDK project apply.
                public static int Twice(int x) => Enumerable.Repeat(x, 2).Sum();
            }
            """;
        var result = fixture.Compile("model_def:MultiFileTrial",
            File("model_def.cs", Trial("Demo", "MultiFileTrial", extra: "    public static int Answer() => Demo.Nets.Helpers.Twice(21);")),
            File("nets/helpers.cs", helpers));

        Assert.True(result.Success, string.Join('\n', result.Errors));
        Assert.Equal("Demo.MultiFileTrial", result.TrialTypeName);
        Assert.Equal(Path.Combine(fixture.CacheDirectory, result.ContentHash, "model.dll"), result.AssemblyPath);
        var type = TrialAssemblyLoader.LoadTrialType(result.AssemblyPath!, result.TrialTypeName!);
        Assert.True(type.IsSubclassOf(typeof(TorchTrial)));
        Assert.Equal(42, type.GetMethod("Answer")!.Invoke(null, null));
    }

    [Fact]
    public void Compile_ReportsRelativeFileLineAndCode_WhenTheCodeDoesNotCompile()
    {
        var broken = """
            namespace Demo.Nets;

            public static class Broken
            {
                public static int Value() => undefinedName + 1;
            }
            """;
        var result = fixture.Compile("model_def:GoodTrial", File("model_def.cs", Trial("Demo", "GoodTrial")), File(@"nets\broken.cs", broken));

        Assert.False(result.Success);
        Assert.Null(result.AssemblyPath);
        Assert.Equal("nets/broken.cs(5,34): error CS0103: The name 'undefinedName' does not exist in the current context", Assert.Single(result.Errors));
    }

    [Fact]
    public void Compile_ReportsDet0001WithTheDefinedClasses_WhenTheClassIsMissing()
    {
        var result = fixture.Compile("model_def:IrisTrial",
            File("model_def.cs", Trial("Demo", "GoodTrial")), File("util.cs", "namespace Demo; internal static class Helper;"));

        Assert.Equal("model_def.cs: error DET0001: class 'IrisTrial' not found; the model definition defines: GoodTrial, Helper", Assert.Single(result.Errors));
    }

    [Fact]
    public void Compile_ReportsDet0002AtTheDeclaration_WhenTheClassIsNotATrial()
    {
        var result = fixture.Compile("model_def:Plain", File("model_def.cs", "namespace Demo;\n\npublic sealed class Plain;\n"));

        Assert.Equal("model_def.cs(3,21): error DET0002: class 'Demo.Plain' does not derive from Determinant.Harness.TorchTrial", Assert.Single(result.Errors));
    }

    [Fact]
    public void Compile_ReportsDet0003ListingTheCandidates_WhenTheSimpleNameIsAmbiguous()
    {
        var result = fixture.Compile("model_def:Twin", File("model_def.cs", Trial("Demo.A", "Twin")), File("b.cs", Trial("Demo.B", "Twin")));

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("model_def.cs: error DET0003: class 'Twin' is ambiguous: Demo.A.Twin, Demo.B.Twin;", error);
    }

    [Theory]
    [InlineData("Demo.B:Twin")]
    [InlineData("model_def:Demo.B.Twin")]
    public void Compile_FindsTheClass_WhenItsNamespaceIsGiven(string entrypoint)
    {
        var result = fixture.Compile(entrypoint, File("model_def.cs", Trial("Demo.A", "Twin")), File("b.cs", Trial("Demo.B", "Twin")));

        Assert.True(result.Success, string.Join('\n', result.Errors));
        Assert.Equal("Demo.B.Twin", result.TrialTypeName);
    }

    [Fact]
    public void Compile_NamesANestedTrialTheWayReflectionDoes_WhenTheTrialIsNested()
    {
        var source = $"namespace Demo;\n\npublic static class Outer\n{{\n{Trial("Ignored", "Inner").Split("namespace Ignored;")[1]}\n}}";
        var result = fixture.Compile("model_def:Inner", File("model_def.cs", "using Determinant.Harness;\n" + source));

        Assert.True(result.Success, string.Join('\n', result.Errors));
        Assert.Equal("Demo.Outer+Inner", result.TrialTypeName);
        Assert.Equal("Inner", TrialAssemblyLoader.LoadTrialType(result.AssemblyPath!, result.TrialTypeName!).Name);
    }

    [Theory]
    [InlineData("public abstract", "", "DET0004: class 'Demo.T' is abstract")]
    [InlineData("internal sealed", "", "DET0005: class 'Demo.T' is not public")]
    public void Compile_ReportsWhyTheHarnessCannotCreateTheTrial_WhenTheClassIsUnusable(string modifiers, string extra, string expected)
    {
        var result = fixture.Compile("model_def:T", File("model_def.cs", Trial("Demo", "T", modifiers, extra)));

        // An abstract class's constructors are protected, so DET0006 may come too: each check reports on its own.
        Assert.Contains(result.Errors, e => e.StartsWith("model_def.cs(5,", StringComparison.Ordinal) && e.Contains($"error {expected}", StringComparison.Ordinal));
    }

    [Fact]
    public void Compile_ReportsDet0006_WhenNoPublicConstructorTakesTheContextAlone()
    {
        var source = Trial("Demo", "T").Replace("class T(TrialContext context) : TorchTrial(context)", "class T : TorchTrial")
            .Replace("public override BatchSource BuildTrainingData()", "public T(TrialContext context, int seed) : base(context) { }\n    public override BatchSource BuildTrainingData()");
        var result = fixture.Compile("model_def:T", File("model_def.cs", source));

        var error = Assert.Single(result.Errors);
        Assert.EndsWith("error DET0006: class 'Demo.T' has no public constructor taking a Determinant.Harness.TrialContext as its only parameter", error);
    }

    [Theory]
    [InlineData("model_def", "error DET0007: entrypoint 'model_def' is not a trial class")]
    [InlineData("python3 train.py", "error DET0007: entrypoint 'python3 train.py' is not a trial class")]
    [InlineData("model_def:.T", "error DET0007: entrypoint 'model_def:.T' is not a trial class")]
    [InlineData("nets.model:GoodTrial", "error DET0008: module 'nets.model' of entrypoint 'nets.model:GoodTrial' is neither a file nets/model.cs nor a namespace")]
    public void Compile_ReportsTheEntrypointError_WhenTheEntrypointIsUnusable(string entrypoint, string expected)
    {
        var result = fixture.Compile(entrypoint, File("model_def.cs", Trial("Demo", "GoodTrial")));

        Assert.StartsWith(expected, Assert.Single(result.Errors));
    }

    [Fact]
    public void Compile_FindsTheModuleInAFolder_WhenTheModuleHasDots()
    {
        var result = fixture.Compile("nets.model:GoodTrial", File("nets/model.cs", Trial("Demo", "GoodTrial")));

        Assert.True(result.Success, string.Join('\n', result.Errors));
    }

    [Fact]
    public void Compile_ReportsDet0009_WhenThereIsNoSourceFile()
    {
        var result = fixture.Compile("model_def:T", File("README.md", "# no code"), File("bin/model_def.cs", "garbage"));

        Assert.Equal("error DET0009: the model definition has no .cs file to compile", Assert.Single(result.Errors));
    }

    [Fact]
    public void Compile_IgnoresBuildOutputHiddenFoldersAndWarnings_WhenTheyHoldBrokenOrNoisyCode()
    {
        var noisy = Trial("Demo", "GoodTrial", extra: "    public static void Unused() { int neverRead; }");
        var result = fixture.Compile("model_def:GoodTrial",
            File("model_def.cs", noisy), File("bin/Debug/junk.cs", "garbage"), File("obj/junk.cs", "garbage"), File(".ipynb_checkpoints/x.cs", "garbage"));

        Assert.True(result.Success, string.Join('\n', result.Errors));
    }

    [Fact]
    public void Compile_ReportsCompilerAndTrialErrorsTogether_WhenBothAreWrong()
    {
        var result = fixture.Compile("model_def:Missing", File("model_def.cs", "namespace Demo;\npublic class A { int x = ; }\n"));

        Assert.Equal(2, result.Errors.Length);
        Assert.StartsWith("model_def.cs(2,26): error CS1525:", result.Errors[0]);
        Assert.Equal("model_def.cs: error DET0001: class 'Missing' not found; the model definition defines: A", result.Errors[1]);
    }

    [Fact]
    public void Compile_RejectsThePath_WhenAFileClimbsOutOfTheDefinition()
    {
        Assert.Throws<ArgumentException>(() => fixture.Compile("model_def:T", File("../model_def.cs", "")));
        Assert.Throws<ArgumentException>(() => fixture.Compile("model_def:T", File("a.cs", ""), File("./a.cs", "")));
    }
}
