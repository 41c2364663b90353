using System.Net.Http.Headers;
using System.Net.Http.Json;
using Determinant.Client;
using Determinant.Protocol.Checkpoints;
using Determinant.Testing;

namespace Determinant.Cli.Tests;

/// <summary><c>det checkpoint download</c> against the real master, as a user made for each test.</summary>
[Collection(SharedMaster.Name)]
public sealed class CheckpointCommandTests(TestMaster master) : IAsyncLifetime
{
    private static readonly byte[] Weights = [.. Enumerable.Range(0, 50_000).Select(i => (byte)(i % 7))];
    private readonly string _home = Directory.CreateTempSubdirectory("det-cli-ckpt-").FullName;
    private readonly string _user = "ckpt-" + Guid.NewGuid().ToString("N")[..10];
    private Det _det = null!;
    private string _uuid = "";

    public async Task InitializeAsync()
    {
        using (var admin = await master.AdminAsync())
            await admin.CreateUserAsync(_user, "password-" + _user, admin: false, CancellationToken.None);
        _det = new Det(master.Url, _home);
        _det.Environment["DET_USER"] = _user;
        _det.Environment["DET_PASS"] = "password-" + _user;
        using var client = await DeterminantClient.LoginAsync(master.Url, _user, "password-" + _user, CancellationToken.None);
        _uuid = await ReportCheckpointAsync(client);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_home, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Download_WritesToCheckpointsUuid_ByDefault_AndPrintsWhere()
    {
        var run = await _det.RunAsync("checkpoint", "download", _uuid);

        Assert.True(run.ExitCode == 0, run.Error);
        var target = Path.Combine(_home, "checkpoints", _uuid);
        Assert.Equal($"Downloaded checkpoint {_uuid} to {target}\n", run.Output);
        Assert.Equal(Weights, await File.ReadAllBytesAsync(Path.Combine(target, "state.bin")));
        Assert.Equal("{\"steps_completed\": 10}", await File.ReadAllTextAsync(Path.Combine(target, "metadata.json")));
    }

    [Fact]
    public async Task Download_ReadsTheStorageDirectlyByDefault_AndStreamsThroughTheMasterWithModeMaster()
    {
        var auto = await _det.RunAsync("checkpoint", "download", _uuid, "-o", "auto");
        var direct = await _det.RunAsync("checkpoint", "download", _uuid, "-o", "direct", "--mode", "direct");
        var streamed = await _det.RunAsync("checkpoint", "download", _uuid, "-o", "streamed", "--mode", "master");
        var bad = await _det.RunAsync("checkpoint", "download", _uuid, "-o", "bad", "--mode", "ftp");

        Assert.True(auto.ExitCode == 0 && direct.ExitCode == 0 && streamed.ExitCode == 0, auto.Error + direct.Error + streamed.Error);
        Assert.Contains("Read directly from the checkpoint storage", auto.Error, StringComparison.Ordinal);
        Assert.Contains("Read directly from the checkpoint storage", direct.Error, StringComparison.Ordinal);
        Assert.Contains("Streamed through the master", streamed.Error, StringComparison.Ordinal);
        foreach (var dir in new[] { "auto", "direct", "streamed" })
            Assert.Equal(Weights, await File.ReadAllBytesAsync(Path.Combine(_home, dir, "state.bin")));
        Assert.Equal(2, bad.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(_home, "bad")));
    }

    [Fact]
    public async Task Download_WritesToTheOutputDir_AndRefusesAnExistingOne()
    {
        var run = await _det.RunAsync("checkpoint", "download", _uuid, "-o", "mine");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(Weights, await File.ReadAllBytesAsync(Path.Combine(_home, "mine", "state.bin")));
        var again = await _det.RunAsync("c", "download", _uuid, "--output-dir", Path.Combine(_home, "mine"));
        Assert.Equal(ExitCodes.Failure, again.ExitCode);
        Assert.Contains("already exists", again.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("master")]
    [InlineData("direct")]
    public async Task Download_FailsWithOneLineNamingTheFile_WhenItDiffersFromItsRecordedSum(string mode)
    {
        var stored = Path.Combine(master.DataDir, "checkpoints", _uuid, "state.bin");
        var bytes = await File.ReadAllBytesAsync(stored);
        bytes[100] ^= 0x01;
        await File.WriteAllBytesAsync(stored, bytes);

        var run = await _det.RunAsync("checkpoint", "download", _uuid, "-o", "corrupt", "--mode", mode);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        // The announcement, then the failure in one line: no stack trace.
        var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith($"Downloading checkpoint {_uuid}", lines[0], StringComparison.Ordinal);
        var line = Assert.Single(lines.Skip(1));
        Assert.Matches($"checkpoint {_uuid} is corrupt: state.bin has SHA-256 [0-9a-f]{{64}} but [0-9a-f]{{64}} was recorded$", line);
        Assert.False(Directory.Exists(Path.Combine(_home, "corrupt")));
    }

    [Fact]
    public async Task Download_Exits4_ForAnUnknownCheckpoint_And2_ForNoUuid()
    {
        var unknown = await _det.RunAsync("checkpoint", "download", Guid.NewGuid().ToString());
        var invalid = await _det.RunAsync("checkpoint", "download", "not-a-uuid");

        Assert.Equal(ExitCodes.NotFound, unknown.ExitCode);
        Assert.Contains("not found", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, invalid.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(_home, "checkpoints")));
    }

    /// <summary>Writes a checkpoint into the master's default storage and reports it for a trial of a new experiment.</summary>
    private async Task<string> ReportCheckpointAsync(DeterminantClient client)
    {
        var yaml = (await File.ReadAllTextAsync(TestRepository.PathOf("examples/iris/const.yaml")))
            .Replace("entrypoint: model_def:IrisTrial", "entrypoint: ./train.sh", StringComparison.Ordinal);
        var created = await client.CreateExperimentAsync(yaml, [], activate: true, CancellationToken.None);
        var trial = (await created.Experiment.ListTrialsAsync(CancellationToken.None))[0];
        var uuid = Guid.NewGuid().ToString("D");
        var directory = Directory.CreateDirectory(Path.Combine(master.DataDir, "checkpoints", uuid)).FullName;
        await File.WriteAllBytesAsync(Path.Combine(directory, "state.bin"), Weights);
        await File.WriteAllTextAsync(Path.Combine(directory, "metadata.json"), "{\"steps_completed\": 10}");
        CheckpointChecksums.Write(directory);
        using var http = new HttpClient { BaseAddress = new Uri(master.Url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", client.Token);
        using var response = await http.PostAsJsonAsync("/api/v1/checkpoints", new
        {
            taskId = trial.Info.TaskId,
            allocationId = trial.Info.TaskId + ".1",
            uuid,
            reportTime = DateTimeOffset.UnixEpoch,
            resources = Directory.EnumerateFiles(directory).ToDictionary(f => Path.GetFileName(f), f => new FileInfo(f).Length),
            metadata = new { steps_completed = 10 },
            state = "COMPLETED",
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return uuid;
    }
}
