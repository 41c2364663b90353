using System.Net;
using System.Text.Json.Nodes;
using Determinant.Master.Tests.Integration;

namespace Determinant.Master.Tests.EndToEnd;

/// <summary>
/// A running notebook survives a master crash: SIGKILL the master while Debian's Jupyter runs as a task on a real agent,
/// start it again on the same data dir, and the same Jupyter (the same kernel in it) answers through the new master's proxy.
/// </summary>
public sealed class NotebookRestartTests
{
    [SkippableFact]
    public async Task ARunningNotebook_StaysReachableThroughTheProxy_WhenTheMasterIsKilledAndRestarted()
    {
        Skip.If(!File.Exists("/usr/bin/jupyter-notebook"), "Debian's jupyter-notebook is not installed (apt-get install jupyter-notebook python3-ipykernel)");
        var (agentFolder, harness) = await ClusterBinaries.GetAsync();
        var masterFolder = await ClusterBinaries.GetMasterAsync();
        await using var cluster = await ProcessCluster.StartAsync(agentFolder, harness, masterFolder, "notebook-restart", slots: 1);
        var admin = await cluster.Master.LoginAsync();
        try
        {
            var id = (string)(await admin.PostOkAsync("/api/v1/notebooks", new { overrides = new[] { "resources.slots=0" } }))["notebook"]!["id"]!;
            await AgentProtocolTests.PollUntilAsync(async () => (bool)(await admin.GetJsonAsync($"/api/v1/notebooks/{id}"))["notebook"]!["ready"]!,
                "the notebook to be ready; " + cluster.Output, 120);
            var kernel = (string)(await admin.PostOkAsync($"/proxy/{id}/api/kernels", new { name = "python3" }))["id"]!;
            var allocations = await AllocationIdsAsync(admin, id);

            await cluster.KillAndRestartMasterAsync();
            admin.Dispose();
            admin = await cluster.Master.LoginAsync();

            // The new master learns the notebook's address from its database and the agent's registration; the same
            // Jupyter process (it still holds the kernel made before the crash) answers.
            await AgentProtocolTests.PollUntilAsync(async () => (await admin.GetAsync($"/proxy/{id}/api/kernels")).StatusCode == HttpStatusCode.OK,
                "the proxy to reach the notebook after the restart; " + cluster.Output, 120);
            var kernels = JsonNode.Parse(await admin.GetStringAsync($"/proxy/{id}/api/kernels"))!.AsArray();
            Assert.Contains(kernel, kernels.Select(k => (string)k!["id"]!));
            var notebook = (await admin.GetJsonAsync($"/api/v1/notebooks/{id}"))["notebook"]!;
            Assert.Equal("STATE_RUNNING", (string)notebook["state"]!);
            Assert.Equal(allocations, await AllocationIdsAsync(admin, id));

            // Killed at once, whether or not the agent has listed the notebook to the new master yet.
            await admin.PostOkAsync($"/api/v1/notebooks/{id}/kill");
            await AgentProtocolTests.PollUntilAsync(async () => (await admin.GetAsync($"/proxy/{id}/api/kernels")).StatusCode == HttpStatusCode.NotFound,
                "the proxy to answer 404 after the kill; " + cluster.Output, 60);
        }
        finally
        {
            admin.Dispose();
        }
    }

    private static async Task<List<string>> AllocationIdsAsync(HttpClient admin, string taskId) =>
        [.. (await admin.GetJsonAsync("/api/v1/webui/tasks"))["tasks"]!.AsArray().Where(t => (string?)t!["taskId"] == taskId).Select(t => (string)t!["allocationId"]!)];
}
