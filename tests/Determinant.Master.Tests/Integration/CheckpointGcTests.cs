using Determinant.Master.Domain;
using System.Text.Json.Nodes;

namespace Determinant.Master.Tests.Integration;

/// <summary>Checkpoint GC at the end of an experiment for storage other than the master's default shared_fs.</summary>
public sealed class CheckpointGcTests
{
    [Fact]
    public async Task Gc_DeletesDirectoryStorageTheMasterSees_AndMarksOnlyThatDeleted()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        var storage = Directory.CreateTempSubdirectory("det-gc-directory-").FullName;
        try
        {
            var (states, early, last, _) = await RunWithTwoCheckpointsAsync(host, storage, storage);

            Assert.Equal(["STATE_DELETED", "STATE_COMPLETED"], states);
            Assert.False(Directory.Exists(early));
            Assert.True(Directory.Exists(last));
        }
        finally
        {
            Directory.Delete(storage, recursive: true);
        }
    }

    [Fact]
    public async Task Gc_KeepsCheckpointsAndRefusesDelete_WhenTheMasterCannotSeeTheirStorage()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        var files = Directory.CreateTempSubdirectory("det-gc-elsewhere-").FullName;
        try
        {
            var (states, early, last, experimentId) = await RunWithTwoCheckpointsAsync(host, "/nonexistent/det-gc-storage", files);

            Assert.Equal(["STATE_COMPLETED", "STATE_COMPLETED"], states);
            Assert.True(Directory.Exists(early));
            Assert.True(Directory.Exists(last));
            // Deleting the experiment would orphan those files: refused, and the experiment says so.
            var admin = await host.LoginAsync();
            var delete = await admin.DeleteAsync($"/api/v1/experiments/{experimentId}");
            Assert.Equal(System.Net.HttpStatusCode.Conflict, delete.StatusCode);
            Assert.Contains("2 checkpoint(s) could not be deleted", await delete.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal("STATE_DELETE_FAILED", await admin.ExperimentStateAsync(experimentId));
        }
        finally
        {
            Directory.Delete(files, recursive: true);
        }
    }

    /// <summary>One trial with checkpoints at 100 and 500 batches (policy 0/1/1 keeps only the one at 500) runs to COMPLETED.</summary>
    private static async Task<(List<string> States, string Early, string Last, int ExperimentId)> RunWithTwoCheckpointsAsync(
        MasterHost host, string containerPath, string filesDirectory)
    {
        var admin = await host.LoginAsync();
        var config = Api.SingleConfig + $"\ncheckpoint_storage:\n  type: directory\n  container_path: {containerPath}\n";
        var experimentId = await admin.CreateExperimentAsync(config);
        var trialId = (int)(await admin.TrialsAsync(experimentId))[0]!["id"]!;
        var trial = await TrialActor.StartAsync(host, trialId);
        Assert.Equal(500UL, await trial.OperationAsync());
        var early = await ExperimentRunTests.ReportCheckpointAsync(trial, filesDirectory, 100);
        (await trial.ReportAsync("validation", 500, new JsonObject { ["loss"] = 0.5 })).EnsureSuccessStatusCode();
        var last = await ExperimentRunTests.ReportCheckpointAsync(trial, filesDirectory, 500);
        (await trial.CompleteAsync(500, 0.5)).EnsureSuccessStatusCode();
        Assert.True(await trial.PollPreemptionAsync(30));
        await trial.AckAsync();
        await trial.ExitAsync();
        Assert.Equal("STATE_COMPLETED", await admin.ExperimentStateAsync(experimentId));

        var checkpoints = (await admin.GetJsonAsync($"/api/v1/experiments/{experimentId}/checkpoints?sortByAttr=BATCH_NUMBER"))["checkpoints"]!.AsArray();
        return ([.. checkpoints.Select(c => (string)c!["state"]!)], early, last, experimentId);
    }
}
