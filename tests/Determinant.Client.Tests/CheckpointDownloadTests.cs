using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Determinant.Protocol.Api;
using Determinant.Protocol.Checkpoints;
using Determinant.Testing;

namespace Determinant.Client.Tests;

/// <summary><see cref="Checkpoint.DownloadAsync"/> against the real master, and the archive safety rules on crafted archives.</summary>
[Collection(SharedMaster.Name)]
public sealed class CheckpointDownloadTests(TestMaster master) : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly string _work = Directory.CreateTempSubdirectory("det-ckpt-download-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task DownloadAsync_WritesEveryFile_ReportsProgress_AndLeavesNoTempDirectory()
    {
        using var user = await master.NewUserAsync();
        var files = new Dictionary<string, byte[]>
        {
            ["metadata.json"] = "{\"steps_completed\": 10}"u8.ToArray(),
            ["state.bin"] = Enumerable.Range(0, 200_000).Select(i => (byte)(i % 253)).ToArray(),
            ["code/model_def.cs"] = "class IrisTrial {}"u8.ToArray(),
        };
        var (experiment, uuid) = await CheckpointFixture.ReportAsync(master, user, files);

        var checkpoint = Assert.Single(await experiment.ListCheckpointsAsync(CheckpointSortBy.EndTime, SortOrder.Ascending, null, None));
        Assert.Equal(uuid, checkpoint.Uuid);
        Assert.Equal(files["state.bin"].LongLength, checkpoint.Resources["state.bin"]);
        var progress = new RecordingProgress();
        var target = Path.Combine(_work, "out", "ckpt");
        var written = await checkpoint.DownloadAsync(target, progress, None);

        Assert.Equal(target, written);
        foreach (var (path, bytes) in files)
            Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(target, path)));
        Assert.Equal(files.Values.Sum(b => b.LongLength), progress.Values[^1]);
        Assert.Equal(progress.Values.Order(), progress.Values);
        Assert.Equal(["ckpt"], Directory.EnumerateFileSystemEntries(Path.Combine(_work, "out")).Select(Path.GetFileName));

        var again = await Assert.ThrowsAsync<IOException>(() => checkpoint.DownloadAsync(target, null, None));
        Assert.Contains("already exists", again.Message, StringComparison.Ordinal);
        var byUuid = await user.GetCheckpointAsync(uuid, None);
        Assert.Equal(CheckpointState.Completed, byUuid.State);
    }

    [Fact]
    public async Task DownloadAsync_Throws_WhenASizeDoesNotMatchTheResources_AndWritesNothing()
    {
        using var user = await master.NewUserAsync();
        var (_, uuid) = await CheckpointFixture.ReportAsync(master, user, new() { ["state.bin"] = [1, 2, 3] },
            resources: new() { ["state.bin"] = 4, ["missing.bin"] = 1 });
        var checkpoint = await user.GetCheckpointAsync(uuid, None);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => checkpoint.DownloadAsync(Path.Combine(_work, "bad"), null, None));

        Assert.Contains("state.bin: 3 bytes, expected 4", error.Message, StringComparison.Ordinal);
        Assert.Contains("missing.bin: missing", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_work));
    }

    [Theory]
    [InlineData(CheckpointDownloadMode.Master)]
    [InlineData(CheckpointDownloadMode.Direct)]
    public async Task DownloadAsync_NamesTheFile_WhenItDiffersFromItsRecordedSum_AndWritesNothing(CheckpointDownloadMode mode)
    {
        using var user = await master.NewUserAsync();
        var written = Directory.CreateTempSubdirectory("det-ckpt-sums-");
        await File.WriteAllTextAsync(Path.Combine(written.FullName, "metadata.json"), "{\"steps_completed\": 10}");
        await File.WriteAllBytesAsync(Path.Combine(written.FullName, "state.bin"), [1, 2, 3]);
        CheckpointChecksums.Write(written.FullName);
        // Same size, other bytes: only the sums tell.
        await File.WriteAllBytesAsync(Path.Combine(written.FullName, "state.bin"), [1, 2, 4]);
        var files = Directory.EnumerateFiles(written.FullName).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);
        written.Delete(recursive: true);
        var (_, uuid) = await CheckpointFixture.ReportAsync(master, user, files);
        var checkpoint = await user.GetCheckpointAsync(uuid, None);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => checkpoint.DownloadAsync(Path.Combine(_work, "corrupt"), mode, null, None));

        Assert.StartsWith($"checkpoint {uuid} is corrupt: state.bin has SHA-256 ", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_work));
    }

    [Fact]
    public async Task GetCheckpointAsync_Throws404_ForAnUnknownCheckpoint()
    {
        using var user = await master.NewUserAsync();

        var error = await Assert.ThrowsAsync<DeterminantApiException>(() => user.GetCheckpointAsync(Guid.NewGuid().ToString(), None));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
    }

    [Theory]
    [InlineData("../evil.txt", TarEntryType.RegularFile)]
    [InlineData("/etc/evil.txt", TarEntryType.RegularFile)]
    [InlineData("code/../../evil.txt", TarEntryType.RegularFile)]
    [InlineData("link", TarEntryType.SymbolicLink)]
    [InlineData("hard", TarEntryType.HardLink)]
    public async Task Extract_RefusesUnsafeEntries(string name, TarEntryType type)
    {
        using var archive = new MemoryStream();
        await using (var gzip = new GZipStream(archive, CompressionLevel.Fastest, leaveOpen: true))
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "ok.txt") { DataStream = new MemoryStream([1]) });
            var entry = new PaxTarEntry(type, name);
            if (type is TarEntryType.SymbolicLink or TarEntryType.HardLink)
                entry.LinkName = "/etc/passwd";
            else
                entry.DataStream = new MemoryStream([2]);
            await tar.WriteEntryAsync(entry);
        }
        archive.Position = 0;
        var directory = Directory.CreateDirectory(Path.Combine(_work, "x", "extract")).FullName;

        await Assert.ThrowsAsync<InvalidDataException>(() => CheckpointArchive.ExtractAsync(archive, directory, null, None));

        Assert.False(File.Exists(Path.Combine(_work, "x", "evil.txt")));
        Assert.False(File.Exists(Path.Combine(_work, "evil.txt")));
        Assert.False(File.Exists(Path.Combine(directory, "link")));
    }

    private sealed class RecordingProgress : IProgress<long>
    {
        public List<long> Values { get; } = [];

        public void Report(long value) => Values.Add(value);
    }
}

/// <summary>Writes a checkpoint directory into the master's default storage and reports it through the Core API as the trial's owner.</summary>
internal static class CheckpointFixture
{
    public static async Task<(Experiment Experiment, string Uuid)> ReportAsync(TestMaster master, DeterminantClient user,
        Dictionary<string, byte[]> files, Dictionary<string, long>? resources = null)
    {
        var created = await user.CreateExperimentAsync(ClientApiTests.IrisConst, [], activate: true, CancellationToken.None);
        var trial = (await created.Experiment.ListTrialsAsync(CancellationToken.None))[0];
        var uuid = Guid.NewGuid().ToString("D");
        var directory = Path.Combine(master.DataDir, "checkpoints", uuid);
        foreach (var (path, bytes) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(directory, path))!);
            await File.WriteAllBytesAsync(Path.Combine(directory, path), bytes);
        }
        resources ??= files.ToDictionary(f => f.Key, f => f.Value.LongLength);
        using var http = new HttpClient { BaseAddress = new Uri(master.Url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        using var response = await http.PostAsJsonAsync("/api/v1/checkpoints", new
        {
            taskId = trial.Info.TaskId,
            allocationId = trial.Info.TaskId + ".1",
            uuid,
            reportTime = DateTimeOffset.UnixEpoch,
            resources,
            metadata = new { steps_completed = 10 },
            state = "COMPLETED",
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (created.Experiment, uuid);
    }
}
