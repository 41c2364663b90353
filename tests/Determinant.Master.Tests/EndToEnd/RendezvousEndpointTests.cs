using System.Net;
using Determinant.Master.Tests.Integration;

namespace Determinant.Master.Tests.EndToEnd;

/// <summary><c>POST /api/v1/allocations/{id}/all_gather</c>: the workers' rendezvous through the master.</summary>
public sealed class RendezvousEndpointTests
{
    /// <summary>The rendezvous route of a live allocation (a command's, launched on a fake agent), which the admin may use.</summary>
    private static async Task<string> RouteAsync(HttpClient admin, FakeAgent agent)
    {
        await agent.RegisterAsync();
        await admin.PostOkAsync("/api/v1/commands", new { entrypoint = new[] { "sleep", "600" } });
        return $"/api/v1/allocations/{(await agent.NextCommandAsync(TimeSpan.FromSeconds(30))).Launch!.AllocationId}/all_gather";
    }

    [Fact]
    public async Task AllGather_AnswersEveryWorkerInRankOrder_OnceTheLastHasPosted_AndKeepsAnUnfinishedWorkersPart()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        var admin = await host.LoginAsync();
        using var agent = new FakeAgent(host, "node", 1);
        var route = await RouteAsync(admin, agent);

        // Rank 1 alone: the poll ends unanswered (408) and says who is missing; its part is kept.
        var early = await admin.PostProblemAsync(route + "?timeout_seconds=0", new { rank = 1, numPeers = 2, data = "10.0.0.2:4001" }, HttpStatusCode.RequestTimeout);
        Assert.Contains("1 of 2 workers arrived (ranks 1; waiting for 0)", (string)early["detail"]!, StringComparison.Ordinal);
        var waiting = admin.PostOkAsync(route + "?timeout_seconds=30", new { rank = 1, numPeers = 2, data = "10.0.0.2:4001" });

        var chief = await admin.PostOkAsync(route + "?timeout_seconds=30", new { rank = 0, numPeers = 2, data = "10.0.0.1:4000" });

        Assert.Equal("[\"10.0.0.1:4000\",\"10.0.0.2:4001\"]", chief["data"]!.ToJsonString());
        Assert.Equal(chief["data"]!.ToJsonString(), (await waiting)["data"]!.ToJsonString());
        // A worker that asks again (its answer was lost) gets the same answer.
        var again = await admin.PostOkAsync(route, new { rank = 0, numPeers = 2, data = "10.0.0.1:4000" });
        Assert.Equal(chief["data"]!.ToJsonString(), again["data"]!.ToJsonString());
    }

    [Fact]
    public async Task AllGather_RefusesARankOutsideTheGroup_AndAWorkerThatDisagreesOnTheGroupSize()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        var admin = await host.LoginAsync();
        using var agent = new FakeAgent(host, "node", 1);
        var route = await RouteAsync(admin, agent);

        var outside = await admin.PostProblemAsync(route, new { rank = 2, numPeers = 2, data = "x" }, HttpStatusCode.BadRequest);
        Assert.Contains("rank 2 must lie in [0, numPeers=2)", (string)outside["detail"]!, StringComparison.Ordinal);

        await admin.PostProblemAsync(route + "?timeout_seconds=0", new { rank = 0, numPeers = 2, data = "a" }, HttpStatusCode.RequestTimeout);
        var disagreeing = await admin.PostProblemAsync(route, new { rank = 1, numPeers = 3, data = "b" }, HttpStatusCode.Conflict);
        Assert.Contains("numPeers=3, but the rendezvous it joins has 2", (string)disagreeing["detail"]!, StringComparison.Ordinal);
    }
}
