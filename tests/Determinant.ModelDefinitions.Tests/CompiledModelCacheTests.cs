namespace Determinant.ModelDefinitions.Tests;

public sealed class CompiledModelCacheTests : IDisposable
{
    private const string Hash = "0123abcd";
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("det-cache-unit-");

    [Fact]
    public void Store_KeepsTheFirstEntry_WhenTheSameHashIsStoredTwice()
    {
        var cache = new CompiledModelCache(_root.FullName);

        var first = cache.Store(new CacheManifest("A.T", "model_def:T", Hash), [1, 2, 3]);
        var second = cache.Store(new CacheManifest("A.T", "model_def:T", Hash), [9, 9, 9]);

        Assert.Equal(first, second);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(first));
        Assert.Equal([Hash], _root.EnumerateDirectories().Select(d => d.Name));
    }

    [Fact]
    public void Store_ReplacesTheEntry_WhenTheFolderExistsWithoutAManifest()
    {
        var cache = new CompiledModelCache(_root.FullName);
        Directory.CreateDirectory(Path.Combine(_root.FullName, Hash));

        var path = cache.Store(new CacheManifest("A.T", "model_def:T", Hash), [4, 5]);

        Assert.True(cache.TryGet(Hash, out var found, out var type));
        Assert.Equal(path, found);
        Assert.Equal("A.T", type);
        Assert.Equal([Hash], _root.EnumerateDirectories().Select(d => d.Name));
    }

    [Fact]
    public void TryGet_Misses_WhenTheManifestNamesAnotherHash()
    {
        var cache = new CompiledModelCache(_root.FullName);
        cache.Store(new CacheManifest("A.T", "model_def:T", Hash), [1]);
        Directory.Move(Path.Combine(_root.FullName, Hash), Path.Combine(_root.FullName, "ffff"));

        Assert.False(cache.TryGet("ffff", out _, out _));
    }

    public void Dispose() => _root.Delete(recursive: true);
}
