using Microsoft.Data.Sqlite;

namespace Determinant.Master.Tests.Integration;

/// <summary>The master's data directory is 0700, and its SQLite files and initial password 0600, on a new data dir and an old one.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataDirectoryTests : IDisposable
{
    private const UnixFileMode Rwx = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode Rw = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode WorldReadable = UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly string _root = Directory.CreateTempSubdirectory("det-datadir-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private static void AssertOwnerOnly(string dataDir)
    {
        Assert.Equal(Rwx, File.GetUnixFileMode(dataDir));
        var files = new[] { "determinant.db", "determinant.db-wal", "determinant.db-shm", "initial-password" }
            .Select(f => Path.Combine(dataDir, f)).Where(File.Exists).ToList();
        Assert.Contains(Path.Combine(dataDir, "determinant.db"), files);
        Assert.All(files, f => Assert.True(File.GetUnixFileMode(f) == Rw, $"{f} is {File.GetUnixFileMode(f)}"));
    }

    [SkippableFact]
    public async Task NewDataDir_IsOwnerOnly_WithItsDatabase()
    {
        Skip.If(OperatingSystem.IsWindows(), "file modes are a Unix matter");
        var dataDir = Path.Combine(_root, "new", "data");

        await using (var host = await MasterHost.StartAsync(dataDir))
        {
            await host.LoginAsync();
            AssertOwnerOnly(dataDir);
        }
    }

    [SkippableFact]
    public async Task OldDataDir_OpenToOthers_IsTightenedAtStart()
    {
        Skip.If(OperatingSystem.IsWindows(), "file modes are a Unix matter");
        var dataDir = Path.Combine(_root, "old");
        await (await MasterHost.StartAsync(dataDir)).DisposeAsync();
        SqliteConnection.ClearAllPools();
        File.SetUnixFileMode(dataDir, Rwx | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        foreach (var file in Directory.GetFiles(dataDir))
            File.SetUnixFileMode(file, Rw | WorldReadable);

        await using var host = await MasterHost.StartAsync(dataDir);

        await host.LoginAsync();
        AssertOwnerOnly(dataDir);
    }

    [SkippableFact]
    public async Task SharedDirectory_WithTheStickyBit_IsRefusedAsDataDir()
    {
        Skip.If(OperatingSystem.IsWindows(), "file modes are a Unix matter");
        var shared = Path.Combine(_root, "shared");
        Directory.CreateDirectory(shared);
        File.SetUnixFileMode(shared, UnixFileMode.StickyBit | Rwx | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => MasterHost.StartAsync(shared));

        Assert.Contains("data_dir:", error.Message, StringComparison.Ordinal);
        Assert.Contains("sticky bit", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(shared));
    }
}
