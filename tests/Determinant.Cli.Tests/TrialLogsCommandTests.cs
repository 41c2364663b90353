using System.Net.Http.Headers;
using System.Net.Http.Json;
using Determinant.Client;
using Determinant.Testing;

namespace Determinant.Cli.Tests;

/// <summary><c>det trial logs</c> with its filters, against the real master.</summary>
[Collection(SharedMaster.Name)]
public sealed class TrialLogsCommandTests(TestMaster master) : IAsyncLifetime
{
    private readonly string _home = Directory.CreateTempSubdirectory("det-cli-logs-").FullName;
    private readonly string _user = "logs-" + Guid.NewGuid().ToString("N")[..10];
    private Det _det = null!;
    private int _trialId;

    public async Task InitializeAsync()
    {
        using (var admin = await master.AdminAsync())
            await admin.CreateUserAsync(_user, "password-" + _user, admin: false, CancellationToken.None);
        _det = new Det(master.Url, _home);
        _det.Environment["DET_USER"] = _user;
        _det.Environment["DET_PASS"] = "password-" + _user;
        using var client = await DeterminantClient.LoginAsync(master.Url, _user, "password-" + _user, CancellationToken.None);
        var yaml = (await File.ReadAllTextAsync(TestRepository.PathOf("examples/iris/const.yaml")))
            .Replace("entrypoint: model_def:IrisTrial", "entrypoint: ./train.sh", StringComparison.Ordinal);
        var created = await client.CreateExperimentAsync(yaml, [], activate: true, CancellationToken.None);
        var trial = (await created.Experiment.ListTrialsAsync(CancellationToken.None))[0];
        _trialId = trial.Id;
        using var http = new HttpClient { BaseAddress = new Uri(master.Url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", client.Token);
        var start = new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);
        object Line(string text, int rank, string level, int second) => new
        {
            taskId = trial.Info.TaskId, rankId = rank, timestamp = start.AddSeconds(second), level, stdtype = "stdout", source = "task", log = text + "\n",
        };
        using var posted = await http.PostAsJsonAsync("/api/v1/task/logs", new
        {
            logs = new[] { Line("zero says hi", 0, "LOG_LEVEL_INFO", 0), Line("one says hi", 1, "LOG_LEVEL_INFO", 1), Line("one fails", 1, "LOG_LEVEL_ERROR", 2) },
        });
        posted.EnsureSuccessStatusCode();
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_home, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Logs_PrintOnlyMatchingLines_WithRankLevelAndTimeFilters()
    {
        var byRank = await _det.RunAsync("trial", "logs", $"{_trialId}", "--rank-id", "1");
        var byLevel = await _det.RunAsync("trial", "logs", $"{_trialId}", "--level", "error");
        var byTime = await _det.RunAsync("trial", "logs", $"{_trialId}", "--timestamp-after", "2026-05-01T12:00:00Z", "--rank-id", "0", "--rank-id", "1");

        Assert.True(byRank.ExitCode == 0, byRank.Error);
        Assert.Equal(
            ["[2026-05-01T12:00:01.000000Z]          [rank=1] || INFO: one says hi", "[2026-05-01T12:00:02.000000Z]          [rank=1] || ERROR: one fails"],
            byRank.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["[2026-05-01T12:00:02.000000Z]          [rank=1] || ERROR: one fails"], byLevel.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(2, byTime.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Logs_RefuseATimestampThatIsNotRfc3339_WithAUsageError()
    {
        var run = await _det.RunAsync("trial", "logs", $"{_trialId}", "--timestamp-before", "yesterday");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--timestamp-before: 'yesterday' is not an RFC 3339 timestamp", run.Error, StringComparison.Ordinal);
    }
}
