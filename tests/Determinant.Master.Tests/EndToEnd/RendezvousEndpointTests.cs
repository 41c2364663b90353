using System.Net;
using Determinant.Master.Tests.Integration;

namespace Determinant.Master.Tests.EndToEnd;

/// <summary><c>POST /api/v1/allocations/{id}/all_gather</c>: the workers' rendezvous through the master.</summary>
public sealed class RendezvousEndpointTests
{
    private const string Route = "/api/v1/allocations/7.trial-3.1/all_gather";

    [Fact]
    public async Task AllGather_AnswersEveryWorkerInRankOrder_OnceTheLastHasPosted_AndKeepsAnUnfinishedWorkersPart()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        var admin = await host.LoginAsync();

        // Rank 1 alone: the poll ends unanswered (408) and says who is missing; its part is kept.
        var early = await admin.PostProblemAsync(Route + "?timeout_seconds=0", new { rank = 1, numPeers = 2, data = "10.0.0.2:4001" }, HttpStatusCode.RequestTimeout);
        Assert.Contains("1 of 2 workers arrived (ranks 1; waiting for 0)", (string)early["detail"]!, StringComparison.Ordinal);
        var waiting = admin.PostOkAsync(Route + "?timeout_seconds=30", new { rank = 1, numPeers = 2, data = "10.0.0.2:4001" });

        var chief = await admin.PostOkAsync(Route + "?timeout_seconds=30", new { rank = 0, numPeers = 2, data = "10.0.0.1:4000" });

        Assert.Equal("[\"10.0.0.1:4000\",\"10.0.0.2:4001\"]", chief["data"]!.ToJsonString());
        Assert.Equal(chief["data"]!.ToJsonString(), (await waiting)["data"]!.ToJsonString());
        // A worker that asks again (its answer was lost) gets the same answer.
        var again = await admin.PostOkAsync(Route, new { rank = 0, numPeers = 2, data = "10.0.0.1:4000" });
        Assert.Equal(chief["data"]!.ToJsonString(), again["data"]!.ToJsonString());
    }

    [Fact]
    public async Task AllGather_RefusesARankOutsideTheGroup_AndAWorkerThatDisagreesOnTheGroupSize()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        var admin = await host.LoginAsync();

        var outside = await admin.PostProblemAsync(Route, new { rank = 2, numPeers = 2, data = "x" }, HttpStatusCode.BadRequest);
        Assert.Contains("rank 2 must lie in [0, numPeers=2)", (string)outside["detail"]!, StringComparison.Ordinal);

        await admin.PostProblemAsync(Route + "?timeout_seconds=0", new { rank = 0, numPeers = 2, data = "a" }, HttpStatusCode.RequestTimeout);
        var disagreeing = await admin.PostProblemAsync(Route, new { rank = 1, numPeers = 3, data = "b" }, HttpStatusCode.Conflict);
        Assert.Contains("numPeers=3, but the rendezvous it joins has 2", (string)disagreeing["detail"]!, StringComparison.Ordinal);
    }
}
