using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Determinant.Master.Tests.EndToEnd;
using Determinant.Master.Tests.Integration;

namespace Determinant.HostileTenant.Tests;

/// <summary>
/// Mallory, an ordinary user, tries each attack of issue 15 on a real cluster. Each gets its clear error, and afterwards
/// the master is healthy and small, Mallory owns nothing half-created, and Alice's running command is untouched.
/// </summary>
[Collection(TenantClusterGroup.Name)]
public sealed class AttackTests(TenantCluster tenant)
{
    private const string TinyConfig = """
        name: tiny
        entrypoint: "true"
        searcher:
          name: single
          metric: loss
          max_length:
            batches: 10
        """;

    private static async Task<JsonObject> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private static readonly System.Text.Json.JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The problem as text, with its detail and error lines unescaped.</summary>
    private static string Detail(JsonObject problem) => System.Text.RegularExpressions.Regex.Unescape(problem.ToJsonString(Readable));

    /// <summary>Sends request headers that declare <paramref name="contentLength"/> bytes, then reads the status line the master answers with.</summary>
    private async Task<string> DeclareBodyAsync(string path, long contentLength, string? bearer = null)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, tenant.Cluster.Master.Port);
        var stream = socket.GetStream();
        var headers = $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {contentLength}\r\n"
            + (bearer is null ? "" : $"Authorization: Bearer {bearer}\r\n") + "\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(headers + "{\"username\":"));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return (await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)))!;
    }

    private string MalloryToken => tenant.Mallory.DefaultRequestHeaders.Authorization!.Parameter!;

    [Fact]
    public async Task ABillionLaughsConfig_Gets400NamingTheAliasLimit()
    {
        var yaml = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (var level = 'b'; level <= 'i'; level++)
            yaml.Append(level).Append(": &").Append(level).Append(" [").Append(string.Join(", ", Enumerable.Repeat("*" + (char)(level - 1), 10))).Append("]\n");
        Assert.True(yaml.Length < 1024);

        var problem = await ProblemAsync(await tenant.Mallory.PostAsJsonAsync("/api/v1/experiments", new { config = yaml.ToString() }), HttpStatusCode.BadRequest);

        Assert.Contains("ConfigLimits.MaxYamlNodes", Detail(problem), StringComparison.Ordinal);
        await tenant.AssertUnharmedAsync();
    }

    [Fact]
    public async Task AModelFileWithThousandsOfNestedLambdas_Gets400NamingTheCompilersStackLimit()
    {
        var iris = Path.Combine(ClusterBinaries.RepositoryRoot, "examples", "iris");
        object[] files =
        [
            new { path = "model_def.cs", type = 48, content = Convert.ToBase64String(File.ReadAllBytes(Path.Combine(iris, "model_def.cs"))), mode = 420 },
            new { path = "bomb.cs", type = 48, content = Convert.ToBase64String(Encoding.UTF8.GetBytes(Determinant.Testing.CompilerBombs.NestedLambdas())), mode = 420 },
        ];
        var config = await File.ReadAllTextAsync(Path.Combine(iris, "const.yaml"));

        var problem = await ProblemAsync(await tenant.Mallory.PostAsJsonAsync("/api/v1/experiments", new { config, modelDefinition = files }), HttpStatusCode.BadRequest);

        Assert.Contains("the compiler ran past its stack limit of 16 MiB (model_compile_stack_mib)", Detail(problem), StringComparison.Ordinal);
        await tenant.AssertUnharmedAsync();
    }

    [Fact]
    public async Task AGridOfAHundredMillionPoints_Gets400NamingTheTrialLimit()
    {
        var axes = string.Concat(Enumerable.Range(0, 8).Select(i => $"  h{i}: {{type: int, minval: 0, maxval: 9, count: 10}}\n"));
        var config = $"name: grid\nentrypoint: \"true\"\nhyperparameters:\n{axes}searcher:\n  name: grid\n  metric: loss\n  max_length: {{batches: 1}}\n";

        var problem = await ProblemAsync(await tenant.Mallory.PostAsJsonAsync("/api/v1/experiments", new { config }), HttpStatusCode.BadRequest);

        Assert.Contains("the grid has 100000000 points, over the limit", Detail(problem), StringComparison.Ordinal);
        await tenant.AssertUnharmedAsync();
    }

    [Fact]
    public async Task A900MiBAnonymousLoginBody_Gets413BeforeItIsRead()
    {
        var status = await DeclareBodyAsync("/api/v1/auth/login", 900L << 20);

        Assert.StartsWith("HTTP/1.1 413", status, StringComparison.Ordinal);
        await tenant.AssertUnharmedAsync();
    }

    [Fact]
    public async Task AnExperimentBodyOverTheModelDefinitionLimit_Gets413()
    {
        var status = await DeclareBodyAsync("/api/v1/experiments", 1L << 30, MalloryToken);

        Assert.StartsWith("HTTP/1.1 413", status, StringComparison.Ordinal);
        await tenant.AssertUnharmedAsync();
    }

    [Fact]
    public async Task AUserToken_CannotRegisterAnAgent_NorIssueItselfAnAgentCredential()
    {
        var register = new { agentId = TenantCluster.AliceAgentId, hostname = "fake", slots = new[] { new { index = 0, type = "cpu" } }, version = "x", allocations = Array.Empty<object>() };
        using var forged = tenant.Anonymous();
        forged.DefaultRequestHeaders.Add("x-agent-token", MalloryToken);

        Assert.Equal(HttpStatusCode.Forbidden, (await tenant.Mallory.PostAsJsonAsync("/api/v1/agents/register", register)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tenant.Mallory.PostAsync($"/api/v1/agents/{TenantCluster.AliceAgentId}/credential", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tenant.Mallory.PostAsync("/api/v1/agents/mallory-agent/credential", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.PostAsJsonAsync("/api/v1/agents/register", register)).StatusCode);
        Assert.Single((await tenant.Admin.GetJsonAsync("/api/v1/agents"))["agents"]!.AsArray());
        await tenant.AssertUnharmedAsync();
    }

    [Fact]
    public async Task AnotherUsersTask_RefusesMallorysLogLines_AndRendezvous()
    {
        var line = new { logs = new[] { new { taskId = tenant.AliceCommandId, allocationId = tenant.AliceAllocationId, timestamp = DateTimeOffset.UtcNow, log = "forged by mallory\n", stdtype = "stdout", source = "task", level = "LOG_LEVEL_INFO" } } };

        var logs = await tenant.Mallory.PostAsJsonAsync("/api/v1/task/logs", line);
        var gather = await tenant.Mallory.PostAsJsonAsync($"/api/v1/allocations/{tenant.AliceAllocationId}/all_gather", new { rank = 0, numPeers = 2, data = "x" });

        Assert.Equal(HttpStatusCode.Forbidden, logs.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, gather.StatusCode);
        Assert.DoesNotContain("forged by mallory", await (await tenant.Alice.GetAsync($"/api/v1/tasks/{tenant.AliceCommandId}/logs")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Task ids, and so allocation ids, carry a random part: nobody guesses the next one.
        Assert.True(Guid.TryParse(tenant.AliceCommandId, out _), tenant.AliceCommandId);
        Assert.StartsWith(tenant.AliceCommandId + ".", tenant.AliceAllocationId, StringComparison.Ordinal);
        await tenant.AssertUnharmedAsync();
    }

    [Fact]
    public async Task ChangingAPassword_RevokesTheUsersOtherTokens()
    {
        using var other = await tenant.LoginAsync("mallory", "mallory-password");
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/v1/me")).StatusCode);

        var change = await tenant.Mallory.PostAsJsonAsync($"/api/v1/users/{tenant.MalloryId}/password", new { password = "mallory-password-2", oldPassword = "mallory-password" });

        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await other.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await tenant.Mallory.GetAsync("/api/v1/me")).StatusCode);
        var back = await tenant.Mallory.PostAsJsonAsync($"/api/v1/users/{tenant.MalloryId}/password", new { password = "mallory-password", oldPassword = "mallory-password-2" });
        Assert.Equal(HttpStatusCode.NoContent, back.StatusCode);
        await tenant.AssertUnharmedAsync();
    }

    [SkippableFact]
    public void TheMastersDataDirectory_IsItsOwnersAlone()
    {
        Skip.If(!OperatingSystem.IsLinux(), "file modes are a Unix matter");
        var dataDir = tenant.Cluster.Master.DataDir;

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dataDir));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dataDir, "determinant.db")));
    }

    [Theory]
    [InlineData("mallory\nadmin", HttpStatusCode.BadRequest, "U+000A at position 7")]
    [InlineData("Alice", HttpStatusCode.Conflict, "only in case")]
    public async Task ALookAlikeUsername_IsRefused_NamingTheRule(string username, HttpStatusCode status, string words)
    {
        var problem = await ProblemAsync(await tenant.Admin.PostAsJsonAsync("/api/v1/users", new { username, password = "long-enough-1" }), status);

        Assert.Contains(words, Detail(problem), StringComparison.Ordinal);
        await tenant.AssertUnharmedAsync();
    }

    [Theory]
    [InlineData("train\u0000.sh", 0L, "control character U+0000")]
    [InlineData("./train.sh", 0L, "has an empty or '.' part")]
    [InlineData("train.sh", -99999999999999L, "mtime")]
    public async Task ABadModelDefinitionPath_Gets400NamingIt(string path, long mtime, string words)
    {
        object[] files = mtime == 0
            ? [new { path, type = 48, content = "", mode = 420 }]
            : [new { path, type = 48, content = "", mode = 420, mtime }];

        var problem = await ProblemAsync(await tenant.Mallory.PostAsJsonAsync("/api/v1/experiments", new { config = TinyConfig, modelDefinition = files }), HttpStatusCode.BadRequest);

        Assert.Contains(words, Detail(problem), StringComparison.Ordinal);
        await tenant.AssertUnharmedAsync();
    }

    [Fact]
    public async Task AModelDefinitionWithAPathTwice_Gets400NamingIt()
    {
        object[] files = [new { path = "a.sh", type = 48, content = "", mode = 420 }, new { path = "a.sh", type = 48, content = "", mode = 420 }];

        var problem = await ProblemAsync(await tenant.Mallory.PostAsJsonAsync("/api/v1/experiments", new { config = TinyConfig, modelDefinition = files }), HttpStatusCode.BadRequest);

        Assert.Contains("'a.sh' appears more than once", Detail(problem), StringComparison.Ordinal);
        await tenant.AssertUnharmedAsync();
    }

    [Fact]
    public async Task TheSeedsConstConfig_WithItsDataBindMountedReadOnly_TrainsToCompleted()
    {
        var data = Directory.CreateTempSubdirectory("det-iris-data-").FullName;
        var model = Directory.CreateTempSubdirectory("det-iris-model-").FullName;
        var iris = Path.Combine(ClusterBinaries.RepositoryRoot, "examples", "iris");
        foreach (var csv in new[] { "iris_training.csv", "iris_test.csv" })
            File.Copy(Path.Combine(iris, "data", csv), Path.Combine(data, csv));
        // A data set shared on the machine: readable by the tasks' unprivileged account, as a bind mount's host path must be.
        File.SetUnixFileMode(data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.Copy(Path.Combine(iris, "model_def.cs"), Path.Combine(model, "model_def.cs"));
        var config = (await File.ReadAllTextAsync(Path.Combine(iris, "const.yaml")))
            .Replace("    batches: 5000", "    batches: 300", StringComparison.Ordinal)
            .Replace("min_validation_period:\n  batches: 1000", "min_validation_period:\n  batches: 100", StringComparison.Ordinal)
            .Replace("hyperparameters:\n", "hyperparameters:\n  data_dir: /data/iris\n", StringComparison.Ordinal)
            + $"bind_mounts:\n  - host_path: {data}\n    container_path: /data/iris\n    read_only: true\n";

        var id = await tenant.Alice.CreateExperimentAsync(config, files: ModelDefinitionUpload.Of(model));

        try
        {
            await tenant.Cluster.WaitForCompletedAsync(tenant.Alice, id, 180);
        }
        catch (Xunit.Sdk.XunitException e)
        {
            var trialId = (int)(await tenant.Alice.TrialsAsync(id))[0]!["id"]!;
            Assert.Fail(e.Message[..Math.Min(e.Message.Length, 2000)] + "\nthe trial's logs:\n"
                + await (await tenant.Alice.GetAsync($"/api/v1/trials/{trialId}/logs")).Content.ReadAsStringAsync());
        }
        var trial = (await tenant.Alice.TrialsAsync(id))[0]!;
        // It read the mounted CSVs (the model definition has no data folder) for all 300 batches and validated on them.
        Assert.Equal(300, (long)trial["latestValidation"]!["totalBatches"]!);
        Assert.NotNull((double?)trial["latestValidation"]!["searcherMetric"]);
        Assert.False(Directory.Exists(Path.Combine(model, "data")));
        await tenant.AssertUnharmedAsync();
    }
}
