using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Determinant.Master.Data;
using Determinant.Protocol.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Determinant.Master.Tests.Integration;

/// <summary><c>GET /api/v1/checkpoints/{uuid}/download</c> and <c>GET /api/v1/checkpoints/{uuid}</c> with <c>Accept: application/gzip</c>.</summary>
public sealed class CheckpointDownloadTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Download_StreamsTheCheckpointDirectory_AsTarGz_WithTheSameBytes(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        var trialId = (int)(await admin.TrialsAsync(await admin.CreateExperimentAsync()))[0]!["id"]!;
        var trial = await TrialActor.StartAsync(host, trialId);
        var uuid = Guid.NewGuid().ToString();
        var dir = Path.Combine(host.DataDir, "checkpoints", uuid);
        var files = new Dictionary<string, byte[]>
        {
            ["metadata.json"] = "{\n  \"steps_completed\": 100\n}"u8.ToArray(),
            ["state.bin"] = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 31 % 251)).ToArray(),
            ["code/model_def.cs"] = "class M {}"u8.ToArray(),
            ["code/data/empty.txt"] = [],
        };
        foreach (var (path, bytes) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, path))!);
            await File.WriteAllBytesAsync(Path.Combine(dir, path), bytes);
        }
        File.CreateSymbolicLink(Path.Combine(dir, "outside"), "/etc");
        var resources = files.ToDictionary(f => f.Key, f => f.Value.LongLength);
        resources["code/"] = 0;
        resources["code/data/"] = 0;
        await trial.Client.PostOkAsync("/api/v1/checkpoints", new
        {
            taskId = trial.TaskId,
            allocationId = trial.AllocationId,
            uuid,
            reportTime = DateTimeOffset.UnixEpoch,
            resources,
            metadata = new { steps_completed = 100 },
            state = "COMPLETED",
        });

        var record = (await admin.GetJsonAsync($"/api/v1/checkpoints/{uuid}"))["checkpoint"]!["resources"]!.AsObject();
        Assert.Equal(resources.OrderBy(r => r.Key), record.Select(r => KeyValuePair.Create(r.Key, (long)r.Value!)).OrderBy(r => r.Key));

        using var download = await admin.GetAsync($"/api/v1/checkpoints/{uuid}/download");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/gzip", download.Content.Headers.ContentType!.MediaType);
        var (entries, directories) = await ExtractAsync(await download.Content.ReadAsStreamAsync());
        Assert.Equal(files.Keys.Order(), entries.Keys.Order());
        foreach (var (path, bytes) in files)
            Assert.Equal(bytes, entries[path]);
        Assert.Equal(["code/", "code/data/"], directories.Order());

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/checkpoints/{uuid}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/gzip"));
        using var negotiated = await admin.SendAsync(request);
        Assert.Equal("application/gzip", negotiated.Content.Headers.ContentType!.MediaType);
        Assert.Equal(files["state.bin"], (await ExtractAsync(await negotiated.Content.ReadAsStreamAsync())).Files["state.bin"]);

        using var plain = await admin.GetAsync($"/api/v1/checkpoints/{uuid}/download?compression=none");
        Assert.Equal("application/x-tar", plain.Content.Headers.ContentType!.MediaType);
        var plainEntries = (await ExtractAsync(await plain.Content.ReadAsStreamAsync(), gzip: false)).Files;
        Assert.Equal(files.Keys.Order(), plainEntries.Keys.Order());
        Assert.Equal(files["state.bin"], plainEntries["state.bin"]);
        using var badCompression = await admin.GetAsync($"/api/v1/checkpoints/{uuid}/download?compression=zstd");
        Assert.Equal(HttpStatusCode.BadRequest, badCompression.StatusCode);
        Assert.Contains("compression 'zstd' is not one of gzip, none", await badCompression.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.GetAsync($"/api/v1/checkpoints/{uuid}/download")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/checkpoints/{Guid.NewGuid()}/download")).StatusCode);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
            await db.Checkpoints.Where(c => c.Uuid == Guid.Parse(uuid)).ExecuteUpdateAsync(s => s.SetProperty(c => c.State, CheckpointState.Deleted));
        }
        using var deleted = await admin.GetAsync($"/api/v1/checkpoints/{uuid}/download");
        Assert.Equal(HttpStatusCode.NotFound, deleted.StatusCode);
        Assert.Contains("was deleted", (string)JsonNode.Parse(await deleted.Content.ReadAsStringAsync())!["detail"]!, StringComparison.Ordinal);
    }

    private static async Task<(Dictionary<string, byte[]> Files, List<string> Directories)> ExtractAsync(Stream archive, bool gzip = true)
    {
        var files = new Dictionary<string, byte[]>();
        var directories = new List<string>();
        await using var input = gzip ? new GZipStream(archive, CompressionMode.Decompress) : archive;
        await using var tar = new TarReader(input);
        while (await tar.GetNextEntryAsync() is { } entry)
        {
            if (entry.EntryType == TarEntryType.Directory)
            {
                directories.Add(entry.Name);
                continue;
            }
            Assert.Equal(TarEntryType.RegularFile, entry.EntryType);
            using var bytes = new MemoryStream();
            if (entry.DataStream is not null)
                await entry.DataStream.CopyToAsync(bytes);
            files.Add(entry.Name, bytes.ToArray());
        }
        return (files, directories);
    }
}
