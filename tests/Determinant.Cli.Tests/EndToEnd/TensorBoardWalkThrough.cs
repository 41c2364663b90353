using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Determinant.Testing;

namespace Determinant.Cli.Tests.EndToEnd;

/// <summary>
/// <c>det tensorboard start</c> on the walk-through's cluster. TensorBoard cannot be installed on the machines this
/// project is built on (no Debian, npm or NuGet package; no PyPI), so the walk-through checks the refusal that a cluster
/// without it gives at once; <see cref="TensorBoardTests"/> runs the whole path where a <c>tensorboard</c> is on PATH.
/// </summary>
public sealed partial class WalkThroughTests
{
    internal static string? TensorBoardOnPath() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "tensorboard")).FirstOrDefault(File.Exists);

    private static async Task TensorBoardsAsync(LocalClusterFixture cluster, int experimentId)
    {
        if (TensorBoardOnPath() is not null)
            return; // TensorBoardTests covers a cluster that has one.
        var start = await cluster.DetAsync("tensorboard", "start", Id(experimentId));
        Assert.True(start.Code != 0, start.ToString());
        Assert.Contains("no agent of resource pool 'default' has a 'tensorboard' executable", start.Output + start.Error, StringComparison.Ordinal);
        Assert.Contains("pip install tensorboard", start.Output + start.Error, StringComparison.Ordinal);
        Assert.Empty(Csv.Parse((await cluster.DetAsync("tensorboard", "list", "--csv")).Output));
    }
}

/// <summary>
/// The whole TensorBoard path on a real cluster where TensorBoard is installed: an experiment trains, a TensorBoard over it
/// becomes ready behind the proxy and lists the trial's run and scalars, and a kill ends it (the proxy then answers 404).
/// </summary>
public sealed class TensorBoardTests
{
    [SkippableFact]
    public async Task ATensorBoard_ServesTheTrialsScalars_ThroughTheProxy()
    {
        Skip.If(WalkThroughTests.TensorBoardOnPath() is null,
            "no tensorboard executable on PATH: TensorBoard has no Debian, npm or NuGet package; install it with pip where PyPI is reachable");
        await using var cluster = await LocalClusterFixture.StartAsync();
        var login = await cluster.DetAsync(LocalClusterFixture.Password + "\n", TimeSpan.FromMinutes(1), "user", "login", "determined");
        Assert.True(login.Code == 0, login.ToString());
        var iris = TestRepository.PathOf("examples/iris");
        var create = await cluster.DetAsync(null, TimeSpan.FromMinutes(3), "experiment", "create", Path.Combine(iris, "const.yaml"), iris);
        Assert.True(create.Code == 0, create.ToString());
        var experimentId = create.Lines.Select(l => l.StartsWith("Created experiment ", StringComparison.Ordinal) ? l["Created experiment ".Length..].Trim() : null)
            .First(l => l is not null)!;
        var wait = await cluster.DetAsync(null, TimeSpan.FromMinutes(3), "experiment", "wait", experimentId, "--polling-interval", "0.5");
        Assert.True(wait.Code == 0, wait.ToString());

        var start = await cluster.DetAsync(null, TimeSpan.FromMinutes(2), "tensorboard", "start", experimentId);
        Assert.True(start.Code == 0, start.ToString());
        Assert.Contains(start.Lines, l => l.StartsWith("Tensorboard is running at: ", StringComparison.Ordinal));
        var id = start.Lines.First(l => l.StartsWith("Launched tensorboard (id: ", StringComparison.Ordinal))["Launched tensorboard (id: ".Length..].Split(',')[0];

        using var http = new HttpClient { BaseAddress = new Uri(cluster.Master) };
        var token = (string)(await (await http.PostAsJsonAsync("/api/v1/auth/login", new { username = "determined", password = LocalClusterFixture.Password }))
            .Content.ReadFromJsonAsync<JsonObject>())!["token"]!;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var runs = await http.GetStringAsync($"/proxy/{id}/data/runs");
        Assert.Contains($"experiment_{experimentId}/trial_", runs, StringComparison.Ordinal);
        var tags = await http.GetStringAsync($"/proxy/{id}/data/plugin/scalars/tags");
        Assert.Contains("val_categorical_accuracy", tags, StringComparison.Ordinal);

        Assert.Equal($"Killed tensorboard {id}", (await cluster.DetAsync("tensorboard", "kill", id)).Output.Trim());
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while ((await http.GetAsync($"/proxy/{id}/data/runs")).StatusCode != HttpStatusCode.NotFound)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the proxy still serves TensorBoard {id} a minute after its kill");
            await Task.Delay(200);
        }
    }
}
