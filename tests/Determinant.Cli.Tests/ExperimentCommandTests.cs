using System.Text.Json.Nodes;
using Determinant.Client;
using Determinant.Testing;

namespace Determinant.Cli.Tests;

/// <summary><c>det experiment …</c> against the real master, as a user made for each test.</summary>
[Collection(SharedMaster.Name)]
public sealed class ExperimentCommandTests(TestMaster master) : IAsyncLifetime
{
    private readonly string _home = Directory.CreateTempSubdirectory("det-cli-home-").FullName;
    private readonly string _user = "exp-" + Guid.NewGuid().ToString("N")[..10];
    private Det _det = null!;

    public async Task InitializeAsync()
    {
        using (var admin = await master.AdminAsync())
            await admin.CreateUserAsync(_user, "password-" + _user, admin: false, CancellationToken.None);
        _det = new Det(master.Url, _home);
        _det.Environment["DET_USER"] = _user;
        _det.Environment["DET_PASS"] = "password-" + _user;
        // The master compiles trial-class entrypoints at creation, which needs the harness runner's build (.det-build/harness)
        // that these tests do not build; a script entrypoint keeps the rest of examples/iris/const.yaml.
        var yaml = await File.ReadAllTextAsync(TestRepository.PathOf("examples/iris/const.yaml"));
        await File.WriteAllTextAsync(IrisConfig, yaml.Replace("entrypoint: model_def:IrisTrial", "entrypoint: ./train.sh", StringComparison.Ordinal));
    }

    private string IrisConfig => Path.Combine(_home, "const.yaml");

    public Task DisposeAsync()
    {
        Directory.Delete(_home, recursive: true);
        return Task.CompletedTask;
    }

    private static string Iris => TestRepository.PathOf("examples/iris");

    [Fact]
    public async Task Create_PrintsTheIdAndTheUploadSize_AndTheExperimentIsListedAndDescribed()
    {
        var create = await _det.RunAsync("e", "create", IrisConfig, Iris, "--paused");

        Assert.True(create.ExitCode == 0, create.Error);
        var lines = create.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^Preparing files to send to master\.\.\. \d+\.\dKB and \d+ files$", lines[0]);
        var id = int.Parse(Assert.Single(lines[1..], l => l.StartsWith("Created experiment ", StringComparison.Ordinal))["Created experiment ".Length..]);

        var list = await _det.RunAsync("experiment", "list");
        Assert.Equal(" ID | Owner | Name | Parent ID | State | Progress | Started | Ended | Resource Pool",
            string.Join(" | ", list.Output.Split('\n')[0].Split('|').Select(c => c.Trim())).Insert(0, " "));
        Assert.Contains(list.Output.Split('\n'), l => l.Contains($"| {_user} ", StringComparison.Ordinal)
            && l.Contains("| iris_const ", StringComparison.Ordinal) && l.Contains("| PAUSED ", StringComparison.Ordinal) && l.Contains("| 0.0%", StringComparison.Ordinal));

        var describe = await _det.RunAsync("experiment", "describe", id.ToString(), "--json");
        Assert.Equal("", describe.Error);
        var json = JsonNode.Parse(describe.Output)!;
        Assert.Equal(id, (int)json["experiment"]!["id"]!);
        Assert.Equal("STATE_PAUSED", (string?)json["experiment"]!["state"]);
        Assert.Empty(json["trials"]!.AsArray()); // a paused experiment has not materialised its trials yet

        var table = await _det.RunAsync("experiment", "describe", id.ToString());
        Assert.StartsWith("Experiment:\n Experiment ID | State  | Progress | Started", table.Output, StringComparison.Ordinal);
        Assert.Matches(@"\| PAUSED \| 0\.0%\s+\| \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+0000 \|", table.Output);
        Assert.Contains("\nTrials:\n Trial ID | Experiment ID | State", table.Output, StringComparison.Ordinal);

        var outdir = await _det.RunAsync("experiment", "describe", id.ToString(), "--outdir", "described");
        Assert.True(outdir.ExitCode == 0, outdir.Error);
        var experimentsCsv = await File.ReadAllLinesAsync(Path.Combine(_home, "described", "experiments.csv"));
        Assert.StartsWith("Experiment ID,State,Progress,Started,Ended,Name", experimentsCsv[0], StringComparison.Ordinal);
        Assert.StartsWith($"{id},PAUSED,", experimentsCsv[1], StringComparison.Ordinal);
        Assert.Equal("Trial ID,Experiment ID,State,Started,Ended,H-Params", (await File.ReadAllLinesAsync(Path.Combine(_home, "described", "trials.csv")))[0]);
        Assert.StartsWith("Trial ID,# of Batches", (await File.ReadAllLinesAsync(Path.Combine(_home, "described", "workloads.csv")))[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_PrintsOnlyParseableJson_WithJson()
    {
        await _det.RunAsync("experiment", "create", IrisConfig, "--paused");

        var list = await _det.RunAsync("experiment", "list", "--json");

        var experiments = JsonNode.Parse(list.Output)!.AsArray();
        Assert.Equal(_user, (string?)Assert.Single(experiments)!["username"]);
    }

    [Fact]
    public async Task Create_PrintsEveryErrorLineAndExits3_WhenTheConfigIsInvalid()
    {
        var config = Path.Combine(_home, "bad.yaml");
        await File.WriteAllTextAsync(config, "name: bad\nentrypoint: x\nsearcher: {name: random, metric: loss, max_length: {batches: 10}}\nbogus_key: 1\n");

        var create = await _det.RunAsync("experiment", "create", config);

        Assert.Equal(ExitCodes.InvalidConfig, create.ExitCode);
        var errors = create.Error.Split('\n');
        Assert.Contains(errors, l => l.StartsWith("<config>.searcher", StringComparison.Ordinal) && l.Contains("max_trials", StringComparison.Ordinal));
        Assert.Contains(errors, l => l.Contains("bogus_key", StringComparison.Ordinal));
        Assert.Equal("", create.Output);
    }

    [Fact]
    public async Task Create_RefusesAModelDirectoryOverTheLimit_BeforeUploading()
    {
        var model = Directory.CreateDirectory(Path.Combine(_home, "model")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(model, "weights.bin"), new byte[3000]);
        var det = new Det(master.Url, _home) { ModelDefinitionLimitBytes = 2048 };
        foreach (var (key, value) in _det.Environment)
            det.Environment[key] = value;

        var create = await det.RunAsync("experiment", "create", IrisConfig, model);

        Assert.Equal(ExitCodes.Usage, create.ExitCode);
        Assert.Contains("over the limit of 2.0KB; nothing was sent", create.Error, StringComparison.Ordinal);
        using var client = await DeterminantClient.LoginAsync(master.Url, _user, "password-" + _user, CancellationToken.None);
        var mine = new ExperimentListOptions();
        mine.Users.Add(_user);
        Assert.Empty(await client.ListExperimentsAsync(mine, CancellationToken.None));
    }

    [Fact]
    public async Task PauseAndActivate_PrintTheirMessages_AndKillOfAnotherUsersExperimentIsAnAuthFailure()
    {
        var id = await CreatePausedAsync();

        Assert.Equal($"Activated experiment {id}\n", (await _det.RunAsync("experiment", "activate", id)).Output);
        Assert.Equal($"Paused experiment {id}\n", (await _det.RunAsync("experiment", "pause", id)).Output);

        var other = new Det(master.Url, _home);
        using (var admin = await master.AdminAsync())
            await admin.CreateUserAsync("x" + _user, "password-x", admin: false, CancellationToken.None);
        other.Environment["DET_USER"] = "x" + _user;
        other.Environment["DET_PASS"] = "password-x";
        var kill = await other.RunAsync("experiment", "kill", id);
        Assert.Equal(ExitCodes.AuthFailure, kill.ExitCode);
        Assert.StartsWith("det: ", kill.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wait_ExitsNonZero_WhenTheExperimentEndsCanceled_AndMissingExperimentsAreNotFound()
    {
        var id = await CreatePausedAsync(paused: false);
        Assert.Equal($"Killed experiment {id}\n", (await _det.RunAsync("experiment", "kill", id)).Output);

        var wait = await _det.RunAsync("experiment", "wait", id, "--polling-interval", "0.05");

        Assert.Equal(ExitCodes.Failure, wait.ExitCode);
        Assert.Contains($"Experiment {id} ended CANCELED", wait.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NotFound, (await _det.RunAsync("experiment", "describe", "987654")).ExitCode);
        var trials = await _det.RunAsync("experiment", "list-trials", id);
        Assert.Contains("| CANCELED ", trials.Output, StringComparison.Ordinal);
        Assert.Equal(0, (await _det.RunAsync("experiment", "list-checkpoints", id, "--best", "1")).ExitCode);
        Assert.Equal($"Deletion of experiment {id} is in progress\n", (await _det.RunAsync("experiment", "delete", id, "--yes")).Output);
    }

    private async Task<string> CreatePausedAsync(bool paused = true)
    {
        var create = await _det.RunAsync(paused ? ["experiment", "create", IrisConfig, "--paused"] : ["experiment", "create", IrisConfig]);
        Assert.True(create.ExitCode == 0, create.Error);
        return create.Output.Split('\n').Single(l => l.StartsWith("Created experiment ", StringComparison.Ordinal))["Created experiment ".Length..];
    }
}
