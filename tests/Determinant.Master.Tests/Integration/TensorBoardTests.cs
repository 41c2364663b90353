using System.Diagnostics;
using System.Net;
using Determinant.Protocol.Agent;

namespace Determinant.Master.Tests.Integration;

/// <summary>
/// TensorBoards as tasks: refused at once where no agent has a <c>tensorboard</c> executable, else launched on an agent
/// that has one, over the event directories of the experiment's trials, read-only, under the proxy's prefix.
/// </summary>
public sealed class TensorBoardTests
{
    private static readonly Dictionary<string, string> WithTensorBoard = new() { ["tensorboard"] = "/opt/tensorboard/bin/tensorboard" };

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task WithoutATensorBoardOnAnyAgent_StartFailsAtOnce_NamingWhatIsMissing_AndNothingIsCreated(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        using var agent = new FakeAgent(host, "node", 1);
        await agent.RegisterAsync();
        var experimentId = await admin.CreateExperimentAsync();

        var clock = Stopwatch.StartNew();
        var problem = await admin.PostProblemAsync("/api/v1/tensorboards", new { experimentIds = new[] { experimentId } }, HttpStatusCode.BadRequest);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"the refusal took {clock.Elapsed}");
        var message = (string)problem["detail"]!;
        Assert.Contains("no agent of resource pool 'default' has a 'tensorboard' executable", message, StringComparison.Ordinal);
        Assert.Contains("pip install tensorboard", message, StringComparison.Ordinal);
        Assert.Contains("tensorboard_path", message, StringComparison.Ordinal);
        Assert.Empty((await admin.GetJsonAsync("/api/v1/tensorboards"))["tensorboards"]!.AsArray());
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task ATensorBoard_RunsOnTheAgentWithTensorBoard_OverItsTrialsEventFiles(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        using var trainer = new FakeAgent(host, "trainer", 1);
        await trainer.RegisterAsync();
        var experimentId = await admin.CreateExperimentAsync();
        var trialId = (int)(await admin.TrialsAsync(experimentId))[0]!["id"]!;
        using var viewer = new FakeAgent(host, "viewer", 1, programs: WithTensorBoard);
        await viewer.RegisterAsync();

        var created = (await admin.PostOkAsync("/api/v1/tensorboards", new { experimentIds = new[] { experimentId } }))["tensorboard"]!;
        var id = (string)created["id"]!;
        Assert.Equal("TENSORBOARD", (string)created["taskType"]!);
        Assert.StartsWith("TensorBoard (", (string)created["description"]!, StringComparison.Ordinal);
        Assert.Equal([experimentId], created["experimentIds"]!.AsArray().Select(e => (int)e!));
        Assert.Equal([trialId], created["trialIds"]!.AsArray().Select(t => (int)t!));
        Assert.Equal(0, (int)created["slots"]!);

        var launch = (await viewer.NextCommandAsync(TimeSpan.FromSeconds(30))).Launch!;
        Assert.Equal(id, launch.TaskId);
        Assert.Equal("TENSORBOARD", launch.TaskType);
        Assert.Contains("--path_prefix \"/proxy/$DET_TASK_ID\"", launch.Argv[^1], StringComparison.Ordinal);
        Assert.Contains("${DET_TENSORBOARD_PATH:-tensorboard}", launch.Argv[^1], StringComparison.Ordinal);
        Assert.Equal([new TaskPort("tensorboard", "DET_TASK_PORT")], launch.Ports!);
        var spec = launch.Env["DET_TENSORBOARD_LOGDIR_SPEC"];
        var (name, directory) = (spec[..spec.IndexOf(':', StringComparison.Ordinal)], spec[(spec.IndexOf(':', StringComparison.Ordinal) + 1)..]);
        Assert.Equal($"experiment_{experimentId}/trial_{trialId}", name);
        Assert.EndsWith($"/tensorboard/experiment/{experimentId}/trial/{trialId}", directory, StringComparison.Ordinal);
        // The storage's tensorboard folder is mounted, and only for reading.
        var mount = Assert.Single(launch.Mounts!, m => directory.StartsWith(m.ContainerPath + "/", StringComparison.Ordinal));
        Assert.True(mount.ReadOnly);
        Assert.EndsWith("/tensorboard", mount.ContainerPath, StringComparison.Ordinal);

        var got = await admin.GetJsonAsync($"/api/v1/tensorboards/{id}");
        Assert.Equal("300s", (string)got["config"]!["idle_timeout"]!);
        var killed = (await admin.PostOkAsync($"/api/v1/tensorboards/{id}/kill"))["tensorboard"]!;
        Assert.Equal("STATE_TERMINATING", (string)killed["state"]!);
        Assert.Contains(id, (await admin.GetJsonAsync("/api/v1/tasks"))["tasks"]!.AsArray().Select(t => (string)t!["id"]!));
        Assert.Equal(id, (string)(await admin.GetJsonAsync($"/api/v1/tasks/{id}"))["task"]!["id"]!);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task ATensorBoardOfNothing_OrOfAnUnknownExperiment_IsRefused(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        using var viewer = new FakeAgent(host, "viewer", 1, programs: WithTensorBoard);
        await viewer.RegisterAsync();

        var none = await admin.PostProblemAsync("/api/v1/tensorboards", new { experimentIds = Array.Empty<int>() }, HttpStatusCode.BadRequest);
        Assert.Contains("at least one experiment or trial", (string)none["detail"]!, StringComparison.Ordinal);
        await admin.PostProblemAsync("/api/v1/tensorboards", new { experimentIds = new[] { 4242 } }, HttpStatusCode.NotFound);
        await admin.PostProblemAsync("/api/v1/tensorboards", new { trialIds = new[] { 4242 } }, HttpStatusCode.NotFound);
        var slots = await admin.PostProblemAsync("/api/v1/tensorboards",
            new { trialIds = new[] { 1 }, configYaml = "resources:\n  slots: 1\n" }, HttpStatusCode.BadRequest);
        Assert.Contains("resources.slots", slots.ToJsonString(), StringComparison.Ordinal);
        Assert.Empty((await admin.GetJsonAsync("/api/v1/tasks"))["tasks"]!.AsArray());
    }
}
