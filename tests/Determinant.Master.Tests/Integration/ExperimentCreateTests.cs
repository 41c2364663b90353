using System.Net;

namespace Determinant.Master.Tests.Integration;

public sealed class ExperimentCreateTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Create_Answers400ListingEveryPathAndCreatesNothing_WhenConfigIsInvalid(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        const string config = """
            name: bad
            entrypoint: python3 train.py
            hyperparameters:
              lr: {type: double, minval: 1, maxval: 0.5}
            searcher:
              name: random
              metric: loss
              max_length: {batches: 10}
            bogus_key: 1
            """;

        var problem = await admin.PostProblemAsync("/api/v1/experiments", new { config }, HttpStatusCode.BadRequest);

        Assert.Equal("invalid experiment configuration", (string)problem["detail"]!);
        var lines = problem["errors"]!.AsArray().Select(e => (string)e!).ToList();
        Assert.Contains(lines, l => l.StartsWith("<config>.hyperparameters.lr", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("<config>.searcher", StringComparison.Ordinal) && l.Contains("max_trials", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("bogus_key", StringComparison.Ordinal));
        Assert.Equal(0, await admin.ExperimentCountAsync());
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Create_RefusesModelDefinitionPathsThatEscape_AndCreatesNothing(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        foreach (var path in new[] { "../evil.py", "a/../../evil.py", "/etc/passwd" })
        {
            var files = new[] { new { path = "train.py", type = 48, content = "cHJpbnQoMSk=", mode = 420 }, new { path, type = 48, content = "", mode = 420 } };
            var problem = await admin.PostProblemAsync("/api/v1/experiments", new { config = Api.SingleConfig, modelDefinition = files }, HttpStatusCode.BadRequest);
            Assert.Contains(path, (string)problem["detail"]!, StringComparison.Ordinal);
        }
        Assert.Equal(0, await admin.ExperimentCountAsync());
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Create_RefusesModelDefinitionOverTheLimit_NamingTheLimitAndTheKey(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database, "--model-definition-limit-mib", "1");
        var admin = await host.LoginAsync();
        var big = Convert.ToBase64String(new byte[(1024 * 1024) + 1]);
        var files = new[] { new { path = "data.bin", type = 48, content = big, mode = 420 } };

        var problem = await admin.PostProblemAsync("/api/v1/experiments", new { config = Api.SingleConfig, modelDefinition = files }, HttpStatusCode.BadRequest);

        Assert.Contains("1 MiB", (string)problem["detail"]!, StringComparison.Ordinal);
        Assert.Contains("model_definition_limit_mib", (string)problem["detail"]!, StringComparison.Ordinal);
        Assert.Equal(0, await admin.ExperimentCountAsync());
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Create_StoresModelDefinitionAndResolvedConfig_AndValidateOnlyCreatesNothing(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        var files = new object[] { new { path = "pkg", type = 53, content = "", mode = 493 }, new { path = "pkg/train.py", type = 48, content = "cHJpbnQoMSk=", mode = 420 } };

        var validated = await admin.PostOkAsync("/api/v1/experiments", new { config = Api.SingleConfig, validateOnly = true });
        Assert.Null(validated["experiment"]);
        Assert.Equal(0, await admin.ExperimentCountAsync());

        var created = await admin.PostOkAsync("/api/v1/experiments", new { config = Api.SingleConfig, modelDefinition = files });
        var id = (int)created["experiment"]!["id"]!;
        Assert.Equal("STATE_ACTIVE", (string)created["experiment"]!["state"]!);
        Assert.Equal("shared_fs", (string)created["config"]!["checkpoint_storage"]!["type"]!);
        var model = await admin.GetJsonAsync($"/api/v1/experiments/{id}/model_def");
        Assert.False(string.IsNullOrEmpty((string)model["b64Tgz"]!));
        var paused = await admin.PostOkAsync("/api/v1/experiments", new { config = Api.SingleConfig, activate = false });
        Assert.Equal("STATE_PAUSED", (string)paused["experiment"]!["state"]!);
        Assert.Empty(await admin.TrialsAsync((int)paused["experiment"]!["id"]!));
    }
}
