using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Determinant.Cli.Experiments;

namespace Determinant.Cli.Tests;

/// <summary>What <c>det</c> does with bad command lines and an absent master, its completion scripts and the test-mode config; no master needed.</summary>
public sealed class UsageTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("det-cli-usage-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public void UnknownCommand_PrintsTheUsageLineAndASuggestion_AndExits2()
    {
        var run = CliRun.Of("experiment", "lsit");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal(
            ["det: Unrecognized command or argument 'lsit'.", "Did you mean 'list'?", "Usage: det experiment <command> [options]",
                "Run 'det experiment --help' for more."],
            run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("", run.Output);
    }

    [Fact]
    public void UnknownFlag_SuggestsTheClosestFlag_WithTheCommandsUsage()
    {
        var run = CliRun.Of("experiment", "list-checkpoints", "1", "--bset", "2");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("Did you mean '--best'?", run.Error, StringComparison.Ordinal);
        Assert.Contains("Usage: det experiment list-checkpoints <experiment_id> [options]", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void AbbreviatedLongFlag_IsExpanded_WhenUnique()
    {
        var expanded = UsageErrors.ExpandAbbreviations(BuildRoot(), ["experiment", "create", "c.yaml", "--follow"]);
        var csv = UsageErrors.ExpandAbbreviations(BuildRoot(), ["experiment", "list", "--c"]);

        Assert.Equal(["experiment", "create", "c.yaml", "--follow-first-trial"], expanded);
        Assert.Equal(["experiment", "list", "--csv"], csv);
    }

    [Fact]
    public async Task UnreachableMaster_PrintsOneLineWithTheUrlAndHowToSetIt_AndExits7()
    {
        var port = ClosedPort();
        var det = new Det($"http://127.0.0.1:{port}", _home);
        det.Environment["DET_USER"] = "determined";
        det.Environment["DET_PASS"] = "whatever-1";

        var run = await det.RunAsync("experiment", "list");

        Assert.Equal(ExitCodes.Unreachable, run.ExitCode);
        var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith($"det: cannot reach the master at http://127.0.0.1:{port}", lines[0], StringComparison.Ordinal);
        Assert.Contains("-m/--master or DET_MASTER", lines[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bash")]
    [InlineData("zsh")]
    public void Completion_ListsSubcommandsAndFlags_OfEveryCommandPath(string shell)
    {
        var run = CliRun.Of("completion", shell);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("complete -o default -F _det det", run.Output, StringComparison.Ordinal);
        var create = run.Output.Split('\n').Single(l => l.StartsWith("  [\"det experiment create\"]=", StringComparison.Ordinal));
        Assert.Contains("--follow-first-trial", create, StringComparison.Ordinal);
        Assert.Contains("--test-mode", create, StringComparison.Ordinal);
        Assert.Contains("--master", create, StringComparison.Ordinal);
        Assert.Contains(run.Output.Split('\n'), l => l.StartsWith("  [\"det e lc\"]=", StringComparison.Ordinal) && l.Contains("--best", StringComparison.Ordinal));
        if (shell == "zsh")
            Assert.StartsWith("#compdef det\n", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Completion_ScriptCompletesInBash_ToTheSubcommandsOfExperiment()
    {
        if (!File.Exists("/bin/bash"))
            return;
        var script = Path.Combine(_home, "det.bash");
        File.WriteAllText(script, CliRun.Of("completion", "bash").Output);
        var start = new System.Diagnostics.ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"source {script}; COMP_WORDS=(det experiment li); COMP_CWORD=2; _det; echo \"${{COMPREPLY[*]}}\"");
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        Assert.Equal("list list-trials list-checkpoints", output.Trim());
    }

    [Fact]
    public void TestModeConfig_RunsOneBatchOfOneTrial_WithOneValuePerHyperparameter()
    {
        var resolved = JsonNode.Parse("""
            {"name":"iris","description":null,"hyperparameters":{"lr":{"type":"log","minval":-3,"maxval":-1,"base":10},
             "size":{"type":"int","minval":4,"maxval":32,"count":null},"act":{"type":"categorical","vals":["relu","tanh"]},
             "decay":{"type":"const","val":1e-6},"nested":{"width":{"type":"double","minval":0.5,"maxval":1}}},
             "searcher":{"name":"adaptive_asha","metric":"acc","smaller_is_better":false,"max_trials":6,"max_length":{"batches":800}},
             "checkpoint_storage":{"type":"shared_fs","save_experiment_best":0,"save_trial_best":1,"save_trial_latest":1},
             "max_restarts":5,"scheduling_unit":100,"min_validation_period":{"batches":200}}
            """)!.AsObject();

        var config = JsonNode.Parse(TestModeConfig.From(resolved))!.AsObject();

        Assert.Equal("[test-mode] iris", (string?)config["description"]);
        Assert.Equal("""{"name":"single","metric":"acc","smaller_is_better":false,"max_length":{"batches":1}}""", config["searcher"]!.ToJsonString());
        Assert.Equal("""{"lr":{"type":"const","val":0.001},"size":{"type":"const","val":4},"act":{"type":"const","val":"relu"},"decay":{"type":"const","val":1e-6},"nested":{"width":{"type":"const","val":0.5}}}""",
            config["hyperparameters"]!.ToJsonString());
        Assert.Equal((0, 1, """{"batches":1}"""), ((int)config["max_restarts"]!, (int)config["scheduling_unit"]!, config["min_validation_period"]!.ToJsonString()));
        Assert.Equal("""{"type":"shared_fs","save_experiment_best":0,"save_trial_best":0,"save_trial_latest":0}""", config["checkpoint_storage"]!.ToJsonString());
        Assert.False(config.ContainsKey("description") && config["description"] is null);
    }

    private static System.CommandLine.RootCommand BuildRoot()
    {
        var context = new CliContext { Output = TextWriter.Null, Error = TextWriter.Null };
        return CliApp.Build(context);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
