using System.Net;
using System.Text.Json.Nodes;
using Determinant.Testing;

namespace Determinant.Client.Tests;

/// <summary>
/// <see cref="Checkpoint.DownloadAsync(string, CheckpointDownloadMode, IProgress{long}?, CancellationToken)"/> reading the
/// shared_fs storage directly (the test master's default storage is on this machine), and its fallback to the master.
/// </summary>
[Collection(SharedMaster.Name)]
public sealed class CheckpointDirectDownloadTests(TestMaster master) : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly string _work = Directory.CreateTempSubdirectory("det-ckpt-direct-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static Dictionary<string, byte[]> Files() => new()
    {
        ["metadata.json"] = "{\"steps_completed\": 10}"u8.ToArray(),
        ["state.bin"] = Enumerable.Range(0, 300_000).Select(i => (byte)(i % 251)).ToArray(),
        ["code/model_def.cs"] = "class IrisTrial {}"u8.ToArray(),
    };

    [Theory]
    [InlineData(CheckpointDownloadMode.Direct)]
    [InlineData(CheckpointDownloadMode.Auto)]
    public async Task DirectAndAuto_CopyEveryListedFileFromTheStorage_ReportProgress_AndLeaveNoTempDirectory(CheckpointDownloadMode mode)
    {
        using var user = await master.NewUserAsync();
        var files = Files();
        var (_, uuid) = await CheckpointFixture.ReportAsync(master, user, files);
        var checkpoint = await user.GetCheckpointAsync(uuid, None);
        var progress = new List<long>();

        var (used, written) = await checkpoint.DownloadWithModeAsync(Path.Combine(_work, "out", "ckpt"), mode, new SyncProgress(progress.Add), None);

        Assert.Equal(CheckpointDownloadMode.Direct, used);
        foreach (var (path, bytes) in files)
            Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(written, path)));
        Assert.Equal(files.Values.Sum(b => b.LongLength), progress[^1]);
        Assert.Equal(progress.Order(), progress);
        Assert.Equal(["ckpt"], Directory.EnumerateFileSystemEntries(Path.Combine(_work, "out")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Direct_RefusesAFileWhoseSizeDiffersFromTheList_AndWritesNothing()
    {
        using var user = await master.NewUserAsync();
        var (_, uuid) = await CheckpointFixture.ReportAsync(master, user, new() { ["a.bin"] = [1, 2], ["state.bin"] = [1, 2, 3] },
            resources: new() { ["a.bin"] = 2, ["state.bin"] = 4 });
        var checkpoint = await user.GetCheckpointAsync(uuid, None);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => checkpoint.DownloadAsync(Path.Combine(_work, "bad"), CheckpointDownloadMode.Direct, null, None));

        Assert.Equal($"checkpoint {uuid}: state.bin is 3 bytes in the storage, expected 4", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_work));
    }

    [Fact]
    public async Task Direct_NeverFollowsALinkInTheStorage()
    {
        using var user = await master.NewUserAsync();
        var secret = Path.Combine(_work, "secret.txt");
        await File.WriteAllTextAsync(secret, "abc");
        var (_, uuid) = await CheckpointFixture.ReportAsync(master, user, new() { ["state.bin"] = [1, 2, 3] });
        var stored = Path.Combine(master.DataDir, "checkpoints", uuid, "state.bin");
        File.Delete(stored);
        File.CreateSymbolicLink(stored, secret);
        var checkpoint = await user.GetCheckpointAsync(uuid, None);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => checkpoint.DownloadAsync(Path.Combine(_work, "out"), CheckpointDownloadMode.Direct, null, None));

        Assert.Contains("state.bin is a link", error.Message, StringComparison.Ordinal);
        Assert.Equal(["secret.txt"], Directory.EnumerateFileSystemEntries(_work).Select(Path.GetFileName));
    }

    [Fact]
    public async Task WhenTheStorageIsNotVisible_DirectFailsNamingThePath_AndAutoAsksTheMaster()
    {
        using var user = await master.NewUserAsync();
        var (_, uuid) = await CheckpointFixture.ReportAsync(master, user, new() { ["state.bin"] = [1, 2, 3] });
        var stored = Path.Combine(master.DataDir, "checkpoints", uuid);
        Directory.Delete(stored, recursive: true);
        var checkpoint = await user.GetCheckpointAsync(uuid, None);

        var direct = await Assert.ThrowsAsync<IOException>(() => checkpoint.DownloadAsync(Path.Combine(_work, "d"), CheckpointDownloadMode.Direct, null, None));
        // The master cannot find the files either: its 404 shows that auto went to the master.
        var auto = await Assert.ThrowsAsync<DeterminantApiException>(() => checkpoint.DownloadAsync(Path.Combine(_work, "a"), CheckpointDownloadMode.Auto, null, None));

        Assert.Contains($"{stored} is not visible from this machine", direct.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, auto.StatusCode);
        Assert.Contains("are not in", auto.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_work));
    }

    [Theory]
    [InlineData("""{"checkpoint_storage": {"type": "s3", "bucket": "b"}}""", "checkpoint storage 's3' cannot be read directly")]
    [InlineData("""{"searcher": {}}""", "the experiment's config has no checkpoint_storage")]
    public void Locate_SaysWhyAStorageCannotBeReadDirectly(string config, string why)
    {
        var (directory, reason) = CheckpointStorageCopy.Locate(JsonNode.Parse(config)!.AsObject(), Guid.NewGuid().ToString());

        Assert.Null(directory);
        Assert.StartsWith(why, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Locate_JoinsHostPathAndStoragePath()
    {
        var uuid = Guid.NewGuid().ToString();
        Directory.CreateDirectory(Path.Combine(_work, "sub", uuid));
        var config = new JsonObject { ["checkpoint_storage"] = new JsonObject { ["type"] = "shared_fs", ["host_path"] = _work, ["storage_path"] = "sub" } };

        Assert.Equal(Path.Combine(_work, "sub", uuid), CheckpointStorageCopy.Locate(config, uuid).Directory);
    }

    private sealed class SyncProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
