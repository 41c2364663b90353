using Determinant.Harness.Tests.Fakes;
using Determinant.Harness.Tests.Support;

namespace Determinant.Harness.Tests.Core;

/// <summary>A command-entrypoint script drives the Core API through <see cref="CoreContext"/> against the in-memory master.</summary>
public sealed class CoreContextTests : IDisposable
{
    private readonly TempDirectory _storage = new();
    private readonly TempDirectory _workdir = new();
    private readonly StringWriter _output = new();
    private int _uuids;

    public void Dispose()
    {
        _storage.Dispose();
        _workdir.Dispose();
        _output.Dispose();
    }

    [Fact]
    public async Task Script_ReportsCheckpointsAndCompletesEachOperation_WhenTwoOperations()
    {
        var api = new InMemoryCoreApi(20, 40);

        await using (var core = Create(api))
            Assert.False(await CoreScript.RunAsync(core, CancellationToken.None));

        Assert.Equal([10UL, 20, 30, 40], api.Training.Select(m => m.StepsCompleted));
        Assert.Null(api.Training[0].Metrics.BatchMetrics);
        Assert.Equal([20UL, 40], api.Validation.Select(m => m.StepsCompleted));
        Assert.Equal([20UL, 40], api.CompletedOperations.Select(c => c.Op.Length));
        Assert.Equal(0.9 * 0.9 / 2, api.CompletedOperations[0].SearcherMetric, 12);
        Assert.Equal(40.0, api.Progress[^1]);
        Assert.Equal([20UL, 40], api.Checkpoints.Select(c => c.Metadata["steps_completed"]!.GetValue<ulong>()));
        var calls = api.CallsSnapshot();
        Assert.True(calls.IndexOf("validation 20") < calls.IndexOf("checkpoint 20") && calls.IndexOf("checkpoint 20") < calls.IndexOf("complete 20"), string.Join(" | ", calls));
        Assert.Equal(0, api.Acks);
        var checkpoint = api.Checkpoints[^1];
        Assert.Equal(["metadata.json", "sha256sums.txt", "weight.txt"], checkpoint.Resources.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("from a script", checkpoint.Metadata["note"]!.GetValue<string>());
        Assert.Equal(("3.request", "3.request.1"), (checkpoint.TaskId, checkpoint.AllocationId));
        Assert.Equal(
            api.Checkpoints.Select(c => c.Uuid).Append("c1").Order(StringComparer.Ordinal),
            Directory.GetDirectories(_storage.Path).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal));
        Assert.Equal("0.81", File.ReadAllText(Path.Combine(_storage.Path, api.Checkpoints[0].Uuid, "weight.txt"))[..4]);
        Assert.Single(Directory.GetFiles(Path.Combine(_storage.Path, "c1", "tensorboard", "experiment", "3", "trial", "11"), "events.out.tfevents.*"));
    }

    [Fact]
    public async Task Script_CheckpointsAcknowledgesAndLaterResumes_WhenTheStopSignalArrives()
    {
        var api = new InMemoryCoreApi(40) { PreemptOnPoll = 2 };

        await using (var core = Create(api))
            Assert.True(await CoreScript.RunAsync(core, CancellationToken.None));

        Assert.Equal([10UL, 20], api.Training.Select(m => m.StepsCompleted));
        Assert.Empty(api.CompletedOperations);
        Assert.Equal(1, api.Acks);
        var stop = Assert.Single(api.Checkpoints);
        Assert.Equal(20UL, stop.Metadata["steps_completed"]!.GetValue<ulong>());

        api.PreemptOnPoll = null;
        await using (var resumed = Create(api, latestCheckpoint: stop.Uuid, stepsCompleted: 20))
        {
            Assert.Equal(stop.Uuid, resumed.LatestCheckpoint);
            Assert.False(await CoreScript.RunAsync(resumed, CancellationToken.None));
        }

        Assert.Equal([10UL, 20, 30, 40], api.Training.Select(m => m.StepsCompleted));
        Assert.Equal(0.9 * 0.9 * 0.9 * 0.9, api.Training[^1].Metrics.AvgMetrics["loss"]!.GetValue<double>(), 12);
        Assert.Equal([40UL], api.CompletedOperations.Select(c => c.Op.Length));
    }

    [Fact]
    public async Task Operations_Throw_WhenTheScriptAsksForTheNextWithoutCompleting()
    {
        var api = new InMemoryCoreApi(20, 40);
        await using var core = Create(api);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var op in core.Searcher.OperationsAsync())
                Assert.Equal(20UL, op.Length);
        });

        Assert.Contains("CompleteAsync", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoreAsync_CopiesADirectoryWithItsSubdirectories_AndRestoreAsyncFindsIt()
    {
        var api = new InMemoryCoreApi();
        var source = Path.Combine(_workdir.Path, "state");
        Directory.CreateDirectory(Path.Combine(source, "sub", "empty"));
        File.WriteAllText(Path.Combine(source, "a.bin"), "12345");
        File.WriteAllText(Path.Combine(source, "sub", "b.txt"), "xy");
        await using var core = Create(api);

        var stored = await core.Checkpoints.StoreAsync(source, 7);
        var restored = await core.Checkpoints.RestoreAsync(stored.Uuid);

        Assert.Equal("00000001-0000-0000-0000-000000000000", stored.Uuid);
        Assert.Equal(5L, stored.Resources["a.bin"]);
        Assert.Equal(2L, stored.Resources["sub/b.txt"]);
        Assert.Equal(0L, stored.Resources["sub/empty/"]);
        Assert.Equal(7UL, restored.StepsCompleted);
        Assert.Equal(stored.Resources, restored.Resources);
        Assert.Equal(stored.Resources.ToDictionary(), Assert.Single(api.Checkpoints).Resources.ToDictionary());
        await Assert.ThrowsAsync<DirectoryNotFoundException>(() => core.Checkpoints.RestoreAsync("no-such-checkpoint"));
    }

    [Fact]
    public async Task RestoreAsync_NamesTheFile_WhenItDiffersFromTheSumRecordedWhenStored()
    {
        var source = Path.Combine(_workdir.Path, "state");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "a.bin"), "12345");
        await using var core = Create(new InMemoryCoreApi());
        var stored = await core.Checkpoints.StoreAsync(source, 7);
        File.WriteAllText(Path.Combine(stored.Directory, "a.bin"), "12346");

        var corrupt = await Assert.ThrowsAsync<InvalidDataException>(() => core.Checkpoints.RestoreAsync(stored.Uuid));

        Assert.StartsWith($"checkpoint {stored.Uuid} is corrupt: a.bin has SHA-256 ", corrupt.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Distributed_ReadsTheRankVariables_AndDefaultsToOneWorker()
    {
        await using var single = Create(new InMemoryCoreApi());
        await using var worker = Create(new InMemoryCoreApi(), extra: new()
        {
            ["RANK"] = "3", ["WORLD_SIZE"] = "4", ["LOCAL_RANK"] = "1", ["LOCAL_WORLD_SIZE"] = "2", ["CROSS_RANK"] = "1", ["CROSS_SIZE"] = "2",
        });

        Assert.Equal((0, 1, 0, 1, 0, 1, true), Describe(single.Distributed));
        Assert.Equal((3, 4, 1, 2, 1, 2, false), Describe(worker.Distributed));
        var error = Assert.Throws<ArgumentException>(() => Create(new InMemoryCoreApi(), extra: new() { ["RANK"] = "4", ["WORLD_SIZE"] = "4" }));
        Assert.Contains("RANK=4", error.Message, StringComparison.Ordinal);
    }

    private static (int, int, int, int, int, int, bool) Describe(DistributedContext d) =>
        (d.Rank, d.Size, d.LocalRank, d.LocalSize, d.CrossRank, d.CrossSize, d.IsChief);

    private CoreContext Create(InMemoryCoreApi api, string? latestCheckpoint = null, ulong stepsCompleted = 0, Dictionary<string, string?>? extra = null)
    {
        var env = TrialEnvironment.For(Configs.Tiny(), _storage.Path, _workdir.Path, latestCheckpoint: latestCheckpoint, stepsCompleted: stepsCompleted);
        env["DET_CLUSTER_ID"] = "c1";
        foreach (var (key, value) in extra ?? [])
            env[key] = value;
        var options = new HarnessOptions { Output = _output, Error = _output, NewCheckpointUuid = () => new Guid(++_uuids, 0, 0, new byte[8]) };
        return CoreContext.FromEnvironment(env, api, options);
    }
}
