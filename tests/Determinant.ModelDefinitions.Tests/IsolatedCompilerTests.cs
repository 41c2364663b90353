using Determinant.Testing;

namespace Determinant.ModelDefinitions.Tests;

/// <summary>The compile worker: same results as the compiler in process, and its limits end the worker, not the caller.</summary>
public sealed class IsolatedCompilerTests : IDisposable
{
    private readonly DirectoryInfo _cache = Directory.CreateTempSubdirectory("det-isolated-cache-");

    private static readonly SourceFile Trial = TrialSources.File("model_def.cs", TrialSources.Trial("Mine", "MyTrial"));

    private IsolatedModelDefinitionCompiler Compiler(Action<IsolatedCompilerOptions>? configure = null)
    {
        var options = new IsolatedCompilerOptions { Compiler = CompilerFixture.Options(_cache.FullName) };
        configure?.Invoke(options);
        return new IsolatedModelDefinitionCompiler(options);
    }

    [Fact]
    public async Task CompileAsync_ReturnsTheTrialAndTheAssembly_WhenTheTrialCompiles()
    {
        using var compiler = Compiler();

        var result = await compiler.CompileAsync([Trial], "model_def:MyTrial", CancellationToken.None);

        Assert.True(result.Success, string.Join("\n", result.Errors));
        Assert.Equal("Mine.MyTrial", result.TrialTypeName);
        Assert.True(File.Exists(result.AssemblyPath));
    }

    [Fact]
    public async Task CompileAsync_ReportsTheSameErrorsAsTheCompilerInProcess_WhenTheCodeDoesNotCompile()
    {
        using var compiler = Compiler();
        var broken = TrialSources.File("model_def.cs", TrialSources.Trial("Mine", "MyTrial", extra: "private int _x = \"text\";"));

        var isolated = await compiler.CompileAsync([broken], "model_def:MyTrial", CancellationToken.None);
        var inProcess = new ModelDefinitionCompiler(CompilerFixture.Options(_cache.FullName)).Compile([broken], "model_def:MyTrial", CancellationToken.None);

        Assert.False(isolated.Success);
        Assert.Contains(isolated.Errors, e => e.Contains("error CS0029", StringComparison.Ordinal));
        Assert.Equal(string.Join("\n", inProcess.Errors), string.Join("\n", isolated.Errors));
    }

    [Fact]
    public Task CompileAsync_FailsOnTheStackLimit_AndTheNextCompileWorks_WhenLambdasNestThousandsDeep() =>
        AssertLimitThenRecoveryAsync(o => o.StackMib = 16, CompilerBombs.NestedLambdas(), CompilerLimit.Stack,
            "the compiler ran past its stack limit of 16 MiB");

    [Fact]
    public Task CompileAsync_FailsOnTheTimeLimit_AndTheNextCompileWorks_WhenTheCompilerRunsPastIt() =>
        AssertLimitThenRecoveryAsync(o => o.TimeLimit = TimeSpan.FromSeconds(1), CompilerBombs.OverloadedLambdas(), CompilerLimit.Time,
            "the compiler ran past its time limit of 1 s");

    [Fact]
    public Task CompileAsync_FailsOnTheMemoryLimit_AndTheNextCompileWorks_WhenTheCompilerNeedsMore() =>
        AssertLimitThenRecoveryAsync(o => o.MemoryMib = 256, CompilerBombs.LongMethod(), CompilerLimit.Memory,
            "the compiler ran past its memory limit of 256 MiB");

    [Fact]
    public async Task WarmUpAsync_NamesTheMissingHarness_WhenTheHarnessFolderHasNone()
    {
        using var compiler = Compiler(o => o.Compiler.HarnessDirectory = _cache.FullName);

        var missing = await Assert.ThrowsAsync<FileNotFoundException>(() => compiler.WarmUpAsync(CancellationToken.None));

        Assert.Contains("Determinant.Harness.dll", missing.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _cache.Delete(recursive: true);

    /// <summary>A warm worker given <paramref name="bomb"/> beside a trial fails on <paramref name="limit"/>; its replacement compiles the trial.</summary>
    private async Task AssertLimitThenRecoveryAsync(Action<IsolatedCompilerOptions> configure, string bomb, CompilerLimit limit, string message)
    {
        using var compiler = Compiler(configure);
        await compiler.WarmUpAsync(CancellationToken.None);

        var failure = await Assert.ThrowsAsync<ModelCompilerFailedException>(() =>
            compiler.CompileAsync([Trial, TrialSources.File("bomb.cs", bomb)], "model_def:MyTrial", CancellationToken.None));

        Assert.Equal((limit, message), (failure.Limit, failure.Message));
        var next = await compiler.CompileAsync([Trial], "model_def:MyTrial", CancellationToken.None);
        Assert.True(next.Success, string.Join("\n", next.Errors));
    }
}
