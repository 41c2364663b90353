using System.Net;
using System.Text;
using Determinant.Config;

namespace Determinant.Master.Tests.Integration;

/// <summary>Hostile configs at submit: each is refused with the limit named, nothing is created, and the master stays healthy.</summary>
public sealed class ConfigLimitTests
{
    private static string BillionLaughs()
    {
        var yaml = new StringBuilder(Api.SingleConfig).Append("\ndata:\n  l0: &l0 lol\n");
        for (var level = 1; level <= 9; level++)
            yaml.Append($"  l{level}: &l{level} [{string.Join(", ", Enumerable.Repeat($"*l{level - 1}", 10))}]\n");
        return yaml.ToString();
    }

    private static async Task AssertHealthyAsync(MasterHost host) =>
        Assert.Equal("ok", (string)(await host.Client.GetJsonAsync("/health"))["status"]!);

    [Fact]
    public async Task Create_RefusesABillionLaughsConfig_NamingTheNodeLimit_AndCreatesNothing()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        var admin = await host.LoginAsync();
        var config = BillionLaughs();
        Assert.True(config.Length < 1024);

        var problem = await admin.PostProblemAsync("/api/v1/experiments", new { config }, HttpStatusCode.BadRequest);

        var line = Assert.Single(problem["errors"]!.AsArray().Select(e => (string)e!));
        Assert.StartsWith("<config>: ", line, StringComparison.Ordinal);
        Assert.Contains($"limit of {ConfigLimits.MaxYamlNodes} values", line, StringComparison.Ordinal);
        Assert.Equal(0, await admin.ExperimentCountAsync());
        await AssertHealthyAsync(host);
    }

    [Fact]
    public async Task Create_RefusesAGridOfAHundredMillionPoints_NamingTheMasterKey_AndCreatesNothing()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        var admin = await host.LoginAsync();
        const string Config = """
            entrypoint: python3 train.py
            hyperparameters:
              x: {type: int, minval: 0, maxval: 99999999, count: 100000000}
            searcher: {name: grid, metric: loss, max_length: 10, max_concurrent_trials: 0}
            """;

        var problem = await admin.PostProblemAsync("/api/v1/experiments", new { config = Config }, HttpStatusCode.BadRequest);

        var line = Assert.Single(problem["errors"]!.AsArray().Select(e => (string)e!));
        Assert.StartsWith("<config>.hyperparameters: the grid has 100000000 points", line, StringComparison.Ordinal);
        Assert.Contains("max_trials_per_experiment", line, StringComparison.Ordinal);
        Assert.Equal(0, await admin.ExperimentCountAsync());
        await AssertHealthyAsync(host);
    }

    [Fact]
    public async Task Create_AppliesTheMastersTrialLimit_ToMaxTrials()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite, "--max-trials-per-experiment", "3");
        var admin = await host.LoginAsync();
        string Random(int trials) => $"entrypoint: python3 train.py\nsearcher: {{name: random, metric: loss, max_length: 10, max_trials: {trials}}}\n";

        var problem = await admin.PostProblemAsync("/api/v1/experiments", new { config = Random(4), validateOnly = true }, HttpStatusCode.BadRequest);

        var line = Assert.Single(problem["errors"]!.AsArray().Select(e => (string)e!));
        Assert.StartsWith("<config>.searcher.max_trials: 4 is over the limit of 3 trials", line, StringComparison.Ordinal);
        Assert.Contains("max_trials_per_experiment", line, StringComparison.Ordinal);
        await admin.PostOkAsync("/api/v1/experiments", new { config = Random(3), validateOnly = true });
    }

    [Fact]
    public async Task CreateCommand_RefusesABillionLaughsConfig_AndCreatesNothing()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        var admin = await host.LoginAsync();

        var problem = await admin.PostProblemAsync("/api/v1/commands",
            new { configYaml = BillionLaughs().Replace(Api.SingleConfig, "", StringComparison.Ordinal).Replace("data:", "environment:", StringComparison.Ordinal), entrypoint = new[] { "true" } },
            HttpStatusCode.BadRequest);

        Assert.Contains($"limit of {ConfigLimits.MaxYamlNodes} values", string.Join("\n", problem["errors"]!.AsArray()), StringComparison.Ordinal);
        Assert.Empty((await admin.GetJsonAsync("/api/v1/commands"))["commands"]!.AsArray());
        await AssertHealthyAsync(host);
    }
}
