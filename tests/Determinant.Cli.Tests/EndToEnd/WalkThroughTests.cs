using System.Globalization;
using Determinant.Testing;

namespace Determinant.Cli.Tests.EndToEnd;

/// <summary>
/// docs/quickstart.md on a fresh local cluster, with the real <c>./det</c> and the real predict program: log in, the const
/// experiment followed live, list and describe it, its best checkpoint, the adaptive search (six trials, some stopped
/// early), the kill of a running experiment, and predicting the three flowers' species from the best checkpoint.
/// </summary>
public sealed partial class WalkThroughTests
{
    private static readonly string Iris = TestRepository.PathOf("examples/iris");

    private static string Fixture(string name) => TestRepository.PathOf($"tests/Determinant.Cli.Tests/EndToEnd/{name}");

    [Fact]
    public async Task WalkThrough_WorksEndToEnd_OnAFreshLocalCluster()
    {
        await using var cluster = await LocalClusterFixture.StartAsync();
        try
        {
            await WalkAsync(cluster);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}\n{cluster.Logs()}");
        }
    }

    private static async Task WalkAsync(LocalClusterFixture cluster)
    {
        // Log in: the password comes from stdin when it is not a terminal, and the token is stored 0600.
        var login = await cluster.DetAsync(LocalClusterFixture.Password + "\n", TimeSpan.FromMinutes(1), "user", "login", "determined");
        Assert.True(login.Code == 0, login.ToString());
        var auth = Path.Combine(cluster.Home, ".config", "determinant", "auth.json");
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(auth));
        Assert.Equal("You are logged in as user 'determined'", (await cluster.DetAsync("user", "whoami")).Output.Trim());

        // The cluster, then a test-mode run of the model definition: each step ticked off, the copy archived.
        var agents = Csv.Parse((await cluster.DetAsync("agent", "list", "--csv")).Output);
        Assert.Equal(("local", "2"), (Assert.Single(agents)["Agent ID"], agents[0]["Slots"]));
        Assert.Equal(2, Csv.Parse((await cluster.DetAsync("slot", "list", "--csv")).Output).Count);
        var test = await cluster.DetAsync(null, TimeSpan.FromMinutes(3), "experiment", "create", Path.Combine(Iris, "const.yaml"), Iris, "--test-mode");
        Assert.True(test.Code == 0, test.ToString());
        foreach (var step in new[] { "Scheduling task", "Testing training", "Testing validation", "Testing checkpointing" })
            Assert.Contains(test.Lines, l => l.StartsWith(step, StringComparison.Ordinal) && l.EndsWith("[✔]", StringComparison.Ordinal));
        var testId = IdAfter(test, "Created test-mode experiment ");

        // The const experiment, followed live until its trial ends.
        var create = await cluster.DetAsync(null, TimeSpan.FromMinutes(3), "experiment", "create", Path.Combine(Iris, "const.yaml"), Iris, "-f");
        Assert.True(create.Code == 0, create.ToString());
        var constId = IdAfter(create, "Created experiment ");
        Assert.Contains("Waiting for first trial to begin...", create.Lines);
        var trialId = IdAfter(create, "Following first trial with ID ");
        Assert.Contains(create.Lines, l => l.Contains("|| INFO: ", StringComparison.Ordinal) && l.Contains("[rank=0]", StringComparison.Ordinal));
        Assert.Equal($"Trial log stream ended. To reopen log stream, run: det trial logs -f {trialId}", create.Lines[^1]);
        var wait = await cluster.DetAsync(null, TimeSpan.FromMinutes(3), "experiment", "wait", Id(constId), "--polling-interval", "0.5");
        Assert.True(wait.Code == 0, wait.ToString());

        var list = await cluster.DetAsync("experiment", "list");
        Assert.DoesNotContain(list.Lines, l => l.StartsWith($"{testId} ", StringComparison.Ordinal));
        Assert.Matches(@"^\s*ID\s+\| Owner\s+\| Name\s+\| Parent ID \| State\s+\| Progress \| Started\s+\| Ended\s+\| Resource Pool$", list.Lines[0]);
        Assert.Contains(list.Lines, l => l.StartsWith($"{constId} ", StringComparison.Ordinal) && l.Contains("| iris_const ", StringComparison.Ordinal)
            && l.Contains("| COMPLETED ", StringComparison.Ordinal) && l.Contains("| 100.0% ", StringComparison.Ordinal));
        var describe = await cluster.DetAsync("experiment", "describe", Id(constId));
        Assert.True(describe.Code == 0, describe.ToString());
        Assert.Contains("Workloads:", describe.Lines);
        var trialDescribe = await cluster.DetAsync("trial", "describe", Id(trialId), "--csv");
        Assert.True(trialDescribe.Code == 0, trialDescribe.ToString());
        Assert.Contains("val_categorical_accuracy", trialDescribe.Output, StringComparison.Ordinal);

        var best = Csv.Parse((await cluster.DetAsync("experiment", "list-checkpoints", Id(constId), "--best", "1", "--csv")).Output);
        var checkpoint = Assert.Single(best);
        Assert.Equal(Id(trialId), checkpoint["Trial ID"]);
        Assert.InRange(double.Parse(checkpoint["Validation Metric"], CultureInfo.InvariantCulture), 0.8, 1.0);
        var download = await cluster.DetAsync("checkpoint", "download", checkpoint["UUID"], "-o", "best");
        Assert.True(download.Code == 0, download.ToString());
        Assert.True(File.Exists(Path.Combine(cluster.WorkDir, "best", "metadata.json")), download.ToString());

        // Predict the walk-through's three flowers from the best checkpoint: setosa, versicolor, virginica.
        var environment = new Dictionary<string, string>(cluster.Environment) { ["DET_USER"] = "determined", ["DET_PASS"] = LocalClusterFixture.Password };
        var predict = await ProcessRun.RunAsync("dotnet", ["run", "--project", Path.Combine(Iris, "predict"), "--", Id(constId)],
            cluster.WorkDir, environment, null, TimeSpan.FromMinutes(5));
        Assert.True(predict.Code == 0, predict.ToString());
        Assert.Equal("0 1 2", predict.Lines[^1]);
        var probabilities = predict.Lines[^4..^1].Select(l => l.Split(' ').Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray()).ToList();
        Assert.All(probabilities, row => Assert.Equal(1.0, row.Sum(), 3));

        // A command on the cluster: it runs in its context directory's files, as its owner, and its output is kept as logs.
        var commandContext = Path.Combine(cluster.Root, "command-context");
        Directory.CreateDirectory(commandContext);
        await File.WriteAllTextAsync(Path.Combine(commandContext, "hello.txt"), "hello from the context");
        var me = "import json, os, urllib.request; r = urllib.request.Request(os.environ['DET_MASTER'] + '/api/v1/me', "
            + "headers={'Authorization': 'Bearer ' + os.environ['DET_USER_TOKEN']}); print('me=' + json.load(urllib.request.urlopen(r))['user']['username'])";
        var run = await cluster.DetAsync(null, TimeSpan.FromMinutes(2), "cmd", "run", "--context", commandContext,
            $"cat hello.txt; echo; echo \"task=$DET_TASK_TYPE user=$DET_USER\"; python3 -c \"{me}\"");
        Assert.True(run.Code == 0, run.ToString());
        Assert.Contains(run.Lines, l => l.EndsWith("|| INFO: hello from the context", StringComparison.Ordinal));
        Assert.Contains(run.Lines, l => l.EndsWith("|| INFO: task=COMMAND user=determined", StringComparison.Ordinal));
        Assert.Contains(run.Lines, l => l.EndsWith("|| INFO: me=determined", StringComparison.Ordinal));
        var commandId = IdAfter(run, "Launched command (id: ", ", ");
        var commandLogs = await cluster.DetAsync("cmd", "logs", commandId);
        Assert.Contains(commandLogs.Lines, l => l.EndsWith("|| INFO: hello from the context", StringComparison.Ordinal));
        var sleeper = await cluster.DetAsync("cmd", "run", "-d", "sleep", "600");
        Assert.True(sleeper.Code == 0, sleeper.ToString());
        var sleeperId = sleeper.Lines[^1].Trim();
        await PollAsync(async () => Csv.Parse((await cluster.DetAsync("cmd", "list", "--csv")).Output)
                .Any(c => c["Id"] == sleeperId && c["State"] == "RUNNING"), $"command {sleeperId} to run", TimeSpan.FromMinutes(1));
        Assert.Equal($"Killed command {sleeperId}", (await cluster.DetAsync("cmd", "kill", sleeperId)).Output.Trim());
        await PollAsync(async () => Csv.Parse((await cluster.DetAsync("cmd", "list", "--csv")).Output)
                .Any(c => c["Id"] == sleeperId && c["State"] == "TERMINATED" && c["Exit Status"] == "killed"), $"command {sleeperId} to end killed", TimeSpan.FromMinutes(1));
        var commands = Csv.Parse((await cluster.DetAsync("cmd", "list", "--csv")).Output);
        Assert.Contains(commands, c => c["Id"] == commandId && c["State"] == "TERMINATED" && c["Exit Status"] == "exited with code 0");

        await NotebooksAsync(cluster, constId);
        await TensorBoardsAsync(cluster, constId);

        // The adaptive search: six trials, three of them stopped early at the first rung, and a best checkpoint.
        var adaptive = await cluster.DetAsync("experiment", "create", Fixture("adaptive-short.yaml"), Iris);
        Assert.True(adaptive.Code == 0, adaptive.ToString());
        var adaptiveId = IdAfter(adaptive, "Created experiment ");
        var adaptiveWait = await cluster.DetAsync(null, TimeSpan.FromMinutes(5), "experiment", "wait", Id(adaptiveId), "--polling-interval", "0.5");
        Assert.True(adaptiveWait.Code == 0, adaptiveWait.ToString());
        var trials = Csv.Parse((await cluster.DetAsync("experiment", "list-trials", Id(adaptiveId), "--csv")).Output);
        Assert.Equal(6, trials.Count);
        Assert.All(trials, t => Assert.Equal("COMPLETED", t["State"]));
        Assert.Equal(["200", "200", "200", "800", "800", "800"], trials.Select(t => t["# of Batches"]).Order(StringComparer.Ordinal));
        var adaptiveBest = Csv.Parse((await cluster.DetAsync("experiment", "list-checkpoints", Id(adaptiveId), "--best", "1", "--csv")).Output);
        Assert.Contains(Assert.Single(adaptiveBest)["Trial ID"], trials.Select(t => t["Trial ID"]));

        // Kill an experiment while its trial runs: it ends CANCELED, and `wait` says so with a non-zero exit code.
        var doomed = await cluster.DetAsync("experiment", "create", Fixture("long.yaml"), Iris);
        var doomedId = IdAfter(doomed, "Created experiment ");
        await PollAsync(async () => Csv.Parse((await cluster.DetAsync("experiment", "list-trials", Id(doomedId), "--csv")).Output)
                is [var running] && long.Parse(running["# of Batches"], CultureInfo.InvariantCulture) > 0,
            $"the trial of experiment {doomedId} to report training", TimeSpan.FromMinutes(3));
        var kill = await cluster.DetAsync("experiment", "kill", Id(doomedId));
        Assert.Equal($"Killed experiment {doomedId}", kill.Output.Trim());
        var killedWait = await cluster.DetAsync(null, TimeSpan.FromMinutes(2), "experiment", "wait", Id(doomedId), "--polling-interval", "0.5");
        Assert.Equal(1, killedWait.Code);
        Assert.Equal($"Experiment {doomedId} ended CANCELED", killedWait.Error.Trim());
        var killedTrials = Csv.Parse((await cluster.DetAsync("experiment", "list-trials", Id(doomedId), "--csv")).Output);
        Assert.Equal("CANCELED", Assert.Single(killedTrials)["State"]);
    }

    private static string IdAfter(ProcessResult run, string prefix, string end)
    {
        var line = run.Lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        Assert.True(line is not null, $"no line starts with '{prefix}': {run}");
        var rest = line[prefix.Length..];
        return rest[..rest.IndexOf(end, StringComparison.Ordinal)];
    }

    private static int IdAfter(ProcessResult run, string prefix)
    {
        var line = run.Lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        Assert.True(line is not null, $"no line starts with '{prefix}': {run}");
        return int.Parse(line[prefix.Length..], CultureInfo.InvariantCulture);
    }

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    private static async Task PollAsync(Func<Task<bool>> condition, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"timed out waiting for {what}");
            await Task.Delay(250);
        }
    }
}
