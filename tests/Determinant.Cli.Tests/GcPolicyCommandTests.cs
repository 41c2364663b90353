using System.Net.Http.Headers;
using System.Net.Http.Json;
using Determinant.Client;
using Determinant.Testing;

namespace Determinant.Cli.Tests;

/// <summary><c>det experiment set gc-policy</c> against the real master: the preview, the confirmation, the stored policy.</summary>
[Collection(SharedMaster.Name)]
public sealed class GcPolicyCommandTests(TestMaster master) : IAsyncLifetime
{
    private readonly string _home = Directory.CreateTempSubdirectory("det-cli-gc-").FullName;
    private readonly string _user = "gc-" + Guid.NewGuid().ToString("N")[..10];
    private Det _det = null!;

    public async Task InitializeAsync()
    {
        using (var admin = await master.AdminAsync())
            await admin.CreateUserAsync(_user, "password-" + _user, admin: false, CancellationToken.None);
        _det = new Det(master.Url, _home);
        _det.Environment["DET_USER"] = _user;
        _det.Environment["DET_PASS"] = "password-" + _user;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_home, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task SetGcPolicy_PreviewsTheCheckpointsToDelete_AsksAndStoresThePolicy()
    {
        using var client = await DeterminantClient.LoginAsync(master.Url, _user, "password-" + _user, CancellationToken.None);
        var yaml = (await File.ReadAllTextAsync(TestRepository.PathOf("examples/iris/const.yaml")))
            .Replace("entrypoint: model_def:IrisTrial", "entrypoint: ./train.sh", StringComparison.Ordinal);
        var experiment = (await client.CreateExperimentAsync(yaml, [], activate: true, CancellationToken.None)).Experiment;
        var trial = (await experiment.ListTrialsAsync(CancellationToken.None))[0];
        // Two checkpoints without a validation: only the latest-N rule keeps them, and the latest is what the trial resumes from.
        var older = await ReportCheckpointAsync(client, trial, 10);
        var latest = await ReportCheckpointAsync(client, trial, 20);
        var id = experiment.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var declined = await _det.RunWithInputAsync("n\n", "experiment", "set", "gc-policy", id, "--save-trial-latest", "0");
        Assert.Equal(ExitCodes.Failure, declined.ExitCode);
        Assert.Contains("This policy deletes 1 checkpoint(s):", declined.Output, StringComparison.Ordinal);
        Assert.Contains(older, declined.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(latest, declined.Output, StringComparison.Ordinal);
        Assert.Contains("Aborting; the policy is unchanged.", declined.Error, StringComparison.Ordinal);
        Assert.Equal(1, (int)(await experiment.RefreshAsync(CancellationToken.None)).Config!["checkpoint_storage"]!["save_trial_latest"]!);

        var accepted = await _det.RunAsync("experiment", "set", "gc-policy", id, "--save-trial-latest", "0", "--save-trial-best", "2", "--yes");
        Assert.True(accepted.ExitCode == 0, accepted.Error);
        Assert.Contains($"Set the GC policy of experiment {id}: save_experiment_best 0, save_trial_best 2, save_trial_latest 0", accepted.Output, StringComparison.Ordinal);
        var storage = (await experiment.RefreshAsync(CancellationToken.None)).Config!["checkpoint_storage"]!;
        Assert.Equal((0, 2, 0), ((int)storage["save_experiment_best"]!, (int)storage["save_trial_best"]!, (int)storage["save_trial_latest"]!));

        var usage = await _det.RunAsync("experiment", "set", "gc-policy", id);
        Assert.Equal(ExitCodes.Usage, usage.ExitCode);
        var negative = await _det.RunAsync("experiment", "set", "gc-policy", id, "--save-trial-best", "-1", "--yes");
        Assert.Equal(ExitCodes.Usage, negative.ExitCode);
        Assert.Contains("--save-trial-best must be 0 or more, not -1", negative.Error, StringComparison.Ordinal);
    }

    private async Task<string> ReportCheckpointAsync(DeterminantClient client, Trial trial, int steps)
    {
        var uuid = Guid.NewGuid().ToString("D");
        var directory = Directory.CreateDirectory(Path.Combine(master.DataDir, "checkpoints", uuid)).FullName;
        var metadata = $"{{\"steps_completed\": {steps}}}";
        await File.WriteAllTextAsync(Path.Combine(directory, "metadata.json"), metadata);
        using var http = new HttpClient { BaseAddress = new Uri(master.Url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", client.Token);
        using var response = await http.PostAsJsonAsync("/api/v1/checkpoints", new
        {
            taskId = trial.Info.TaskId,
            allocationId = trial.Info.TaskId + ".1",
            uuid,
            reportTime = DateTimeOffset.UnixEpoch.AddSeconds(steps),
            resources = new Dictionary<string, long> { ["metadata.json"] = metadata.Length },
            metadata = new { steps_completed = steps },
            state = "COMPLETED",
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return uuid;
    }
}
