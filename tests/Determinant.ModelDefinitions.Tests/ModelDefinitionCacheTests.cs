using static Determinant.ModelDefinitions.Tests.TrialSources;

namespace Determinant.ModelDefinitions.Tests;

[Collection(SharedCompiler.Name)]
public sealed class ModelDefinitionCacheTests(CompilerFixture fixture)
{
    [Fact]
    public void Compile_ReturnsTheCachedAssembly_WhenTheInputIsIdentical()
    {
        var first = fixture.Compile("model_def:CachedTrial", File("model_def.cs", Trial("Cache.Hit", "CachedTrial")));
        var second = fixture.Compile("model_def:CachedTrial", File("model_def.cs", Trial("Cache.Hit", "CachedTrial")));

        Assert.True(first.Success, string.Join('\n', first.Errors));
        Assert.False(first.FromCache);
        Assert.True(second.FromCache);
        Assert.Equal(first, second with { FromCache = false, Errors = first.Errors });
        Assert.Equal(first.AssemblyPath, second.AssemblyPath);
        Assert.Equal("Cache.Hit.CachedTrial", second.TrialTypeName);
    }

    [Fact]
    public void Compile_CompilesAgain_WhenOneCharacterChanges()
    {
        var first = fixture.Compile("model_def:CachedTrial", File("model_def.cs", Trial("Cache.Miss", "CachedTrial")));
        var changed = fixture.Compile("model_def:CachedTrial", File("model_def.cs", Trial("Cache.Mist", "CachedTrial")));

        Assert.True(changed.Success, string.Join('\n', changed.Errors));
        Assert.False(changed.FromCache);
        Assert.NotEqual(first.ContentHash, changed.ContentHash);
        Assert.NotEqual(first.AssemblyPath, changed.AssemblyPath);
        Assert.True(System.IO.File.Exists(first.AssemblyPath));
    }

    [Fact]
    public void Compile_CompilesAgain_WhenTheCacheEntryIsDamaged()
    {
        var first = fixture.Compile("model_def:CachedTrial", File("model_def.cs", Trial("Cache.Damaged", "CachedTrial")));
        System.IO.File.Delete(Path.Combine(Path.GetDirectoryName(first.AssemblyPath)!, "model.json"));

        var again = fixture.Compile("model_def:CachedTrial", File("model_def.cs", Trial("Cache.Damaged", "CachedTrial")));

        Assert.True(again.Success, string.Join('\n', again.Errors));
        Assert.False(again.FromCache);
        Assert.Equal(first.AssemblyPath, again.AssemblyPath);
        Assert.True(fixture.Compile("model_def:CachedTrial", File("model_def.cs", Trial("Cache.Damaged", "CachedTrial"))).FromCache);
    }

    [Fact]
    public async Task Compile_SucceedsEverywhere_WhenCompilersShareACacheAndCompileTheSameInputAtOnce()
    {
        var cache = Directory.CreateTempSubdirectory("det-model-race-");
        try
        {
            // Two compilers, as two master processes would have, and two compiles each, all started together.
            var compilers = new[] { new ModelDefinitionCompiler(CompilerFixture.Options(cache.FullName)), new ModelDefinitionCompiler(CompilerFixture.Options(cache.FullName)) };
            using var start = new ManualResetEventSlim();
            var compiles = compilers.Concat(compilers).Select(c => Task.Run(() =>
            {
                start.Wait();
                return c.Compile([File("model_def.cs", Trial("Race", "RaceTrial"))], "model_def:RaceTrial", CancellationToken.None);
            })).ToList();
            start.Set();
            var results = await Task.WhenAll(compiles);

            Assert.All(results, r => Assert.True(r.Success, string.Join('\n', r.Errors)));
            Assert.Single(results.Select(r => r.AssemblyPath).Distinct());
            Assert.Equal([results[0].ContentHash], cache.EnumerateDirectories().Select(d => d.Name));
            Assert.Equal("RaceTrial", TrialAssemblyLoader.LoadTrialType(results[0].AssemblyPath!, results[0].TrialTypeName!).Name);
        }
        finally
        {
            cache.Delete(recursive: true);
        }
    }
}
