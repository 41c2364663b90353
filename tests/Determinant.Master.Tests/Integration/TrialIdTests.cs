using System.Text.Json.Nodes;

namespace Determinant.Master.Tests.Integration;

/// <summary>
/// A trial's request id and hyperparameters follow from the experiment seed (the searcher stays reproducible), but its
/// task id, and so its allocation ids, carry a random part that no seed predicts.
/// </summary>
public sealed class TrialIdTests
{
    private const string SeededConfig = """
        name: seeded
        entrypoint: python3 train.py
        reproducibility: {experiment_seed: 4242}
        hyperparameters:
          lr: {type: log, minval: -4, maxval: -1, base: 10}
        searcher:
          name: random
          metric: loss
          max_trials: 3
          max_length: {batches: 10}
        """;

    private static async Task<List<JsonObject>> TrialsAsync(HttpClient client, int experimentId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var trials = (await client.TrialsAsync(experimentId)).Select(t => t!.AsObject()).OrderBy(t => (int)t["id"]!).ToList();
            if (trials.Count == 3 || DateTime.UtcNow > deadline)
                return trials;
            await Task.Delay(50);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task TaskAndAllocationIds_AreRandom_WhileRequestIdsAndHparamsFollowTheSeed(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        using var agent = new FakeAgent(host, "node", 1);
        await agent.RegisterAsync();

        var first = await admin.CreateExperimentAsync(SeededConfig);
        var second = await admin.CreateExperimentAsync(SeededConfig);
        var a = await TrialsAsync(admin, first);
        var b = await TrialsAsync(admin, second);

        Assert.Equal(3, a.Count);
        Assert.Equal(a.Select(t => (string)t["requestId"]!), b.Select(t => (string)t["requestId"]!));
        Assert.Equal(a.Select(t => t["hparams"]!.ToJsonString()), b.Select(t => t["hparams"]!.ToJsonString()));
        foreach (var trial in a.Concat(b))
        {
            var taskId = (string)trial["taskId"]!;
            Assert.Matches($"^{(int)trial["experimentId"]!}\\.[0-9a-f]{{8}}-[0-9a-f]{{4}}-4[0-9a-f]{{3}}-[89ab][0-9a-f]{{3}}-[0-9a-f]{{12}}$", taskId);
            Assert.DoesNotContain((string)trial["requestId"]!, taskId, StringComparison.Ordinal);
        }
        var randomParts = a.Concat(b).Select(t => ((string)t["taskId"]!).Split('.')[1]).ToList();
        Assert.Equal(randomParts.Count, randomParts.Distinct().Count());

        var launch = (await agent.NextCommandAsync(TimeSpan.FromSeconds(30))).Launch!;
        var launched = a.Concat(b).Single(t => (int)t["id"]! == int.Parse(launch.Env["DET_TRIAL_ID"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal($"{(string)launched["taskId"]!}.1", launch.AllocationId);
        Assert.Equal((string)launched["taskId"]!, launch.Env["DET_TASK_ID"]);
    }
}
